import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'fs';
import path from 'path';
import {
  DATA_STORE_TYPES,
  describeObjects,
  generateDeployment,
} from '@prodready/plugin-readiness-engine';
import { examples } from './generateDeployment.examples';

/**
 * `readiness:deployment:generate`: writes the Kubernetes manifests of a
 * production-ready service into the workspace (default `deploy/`), scaled
 * from the expected peak traffic and validated before anything is written.
 *
 * @public
 */
export function createGenerateDeploymentAction() {
  return createTemplateAction({
    id: 'readiness:deployment:generate',
    description:
      'Generates validated Kubernetes manifests for a production-ready service: Deployment (or Argo Rollout), Service, HPA autoscaling/v2, PodDisruptionBudget, Ingress with TLS, NetworkPolicy, SLO burn-rate alerts and backup jobs, scaled from the expected peak traffic (peak ÷ per-pod capacity × 1.5).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe('Service name (DNS label, at most 39 characters)'),
        namespace: z =>
          z.string().optional().describe('Namespace written into every object'),
        image: z =>
          z
            .string()
            .describe(
              'Container image, pinned to a tag or digest (not latest)',
            ),
        port: z =>
          z
            .number()
            .optional()
            .describe('Container port, 1024-65535 (default 8080)'),
        peakRps: z =>
          z
            .union([z.number(), z.string()])
            .describe('Expected peak traffic, requests per second'),
        perPodRps: z =>
          z
            .union([z.number(), z.string()])
            .describe(
              'Requests per second one pod serves within its latency target',
            ),
        availability: z =>
          z
            .union([z.number(), z.string()])
            .optional()
            .describe(
              'Availability target in percent, below 100 (default 99.9)',
            ),
        latencyP95: z =>
          z.string().optional().describe('p95 latency target (default 200ms)'),
        errorRate: z =>
          z
            .union([z.number(), z.string()])
            .optional()
            .describe('5xx budget in percent (default 0.1)'),
        exposure: z =>
          z
            .enum(['public', 'internal'])
            .optional()
            .describe('public: an Ingress with TLS; internal: none (default)'),
        host: z =>
          z
            .string()
            .optional()
            .describe('Public host name (required when public)'),
        tlsIssuer: z =>
          z
            .string()
            .optional()
            .describe('cert-manager ClusterIssuer (default letsencrypt-prod)'),
        ingressClassName: z =>
          z.string().optional().describe('Ingress class (default nginx)'),
        rateLimitRps: z =>
          z
            .number()
            .optional()
            .describe(
              'Requests per second per client at the Ingress (default 50)',
            ),
        ingressNamespace: z =>
          z
            .string()
            .optional()
            .describe(
              'Namespace of the ingress controller (default ingress-nginx)',
            ),
        monitoringNamespace: z =>
          z
            .string()
            .optional()
            .describe('Namespace of Prometheus (default monitoring)'),
        allowedNamespaces: z =>
          z
            .array(z.string())
            .optional()
            .describe('Other namespaces whose pods may call the service'),
        dataStores: z =>
          z
            .array(z.enum(DATA_STORE_TYPES))
            .optional()
            .describe('Data stores to back up'),
        rto: z =>
          z
            .string()
            .optional()
            .describe('Recovery time objective (default 4h)'),
        rpo: z =>
          z
            .string()
            .optional()
            .describe('Recovery point objective, at least 5m (default 1h)'),
        backupRetention: z =>
          z
            .string()
            .optional()
            .describe('How long backups are kept (default 30d)'),
        rollout: z =>
          z
            .enum(['rolling-update', 'blue-green', 'canary'])
            .optional()
            .describe(
              'Rolling update, or an Argo Rollouts blue-green or canary rollout (default rolling-update)',
            ),
        cpuRequest: z =>
          z.string().optional().describe('CPU request (default 250m)'),
        memoryRequest: z =>
          z.string().optional().describe('Memory request (default 256Mi)'),
        cpuLimit: z => z.string().optional().describe('CPU limit (default 1)'),
        memoryLimit: z =>
          z.string().optional().describe('Memory limit (default 512Mi)'),
        minReplicas: z =>
          z
            .number()
            .optional()
            .describe('Fewest replicas, at least 2 (default 2)'),
        maxReplicas: z =>
          z
            .number()
            .optional()
            .describe('Most replicas the plan may use (default 50)'),
        capacityBufferPercent: z =>
          z
            .number()
            .optional()
            .describe('Capacity above the peak, percent (default 50)'),
        cpuUtilizationPercent: z =>
          z.number().optional().describe('HPA CPU target (default 70)'),
        memoryUtilizationPercent: z =>
          z.number().optional().describe('HPA memory target (default 80)'),
        scaleUpStabilizationSeconds: z =>
          z
            .number()
            .optional()
            .describe('HPA scale-up stabilisation (default 300)'),
        scaleDownStabilizationSeconds: z =>
          z
            .number()
            .optional()
            .describe('HPA scale-down stabilisation (default 600)'),
        healthPath: z =>
          z
            .string()
            .optional()
            .describe('Liveness and startup probe path (default /healthz)'),
        readinessPath: z =>
          z
            .string()
            .optional()
            .describe('Readiness probe path (default /readyz)'),
        runbookUrl: z =>
          z
            .string()
            .optional()
            .describe('Runbook link written into the alerts'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe('Folder of the workspace to write to (default deploy)'),
      },
      output: {
        targetPath: z =>
          z.string().describe('The folder written, relative to the workspace'),
        files: z =>
          z
            .array(z.string())
            .describe('The files written, relative to the workspace'),
        objects: z =>
          z
            .array(
              z.object({
                apiVersion: z.string(),
                kind: z.string(),
                name: z.string(),
                file: z.string(),
              }),
            )
            .describe('Every object generated, in apply order'),
        workloadKind: z => z.string().describe('Deployment or Rollout'),
        minReplicas: z => z.number().describe('HPA minimum'),
        maxReplicas: z => z.number().describe('HPA maximum'),
        podsForPeak: z => z.number().describe('Pods the peak alone needs'),
        podsWithBuffer: z =>
          z
            .number()
            .describe('Pods the peak plus the buffer needs, before clamping'),
        clampedToMax: z =>
          z.boolean().describe('Whether the need was capped at maxReplicas'),
        backupSchedule: z =>
          z
            .string()
            .describe(
              'Cron schedule (UTC) of the backups, derived from the RPO',
            ),
        explanation: z =>
          z.array(z.string()).describe('Why the numbers are what they are'),
      },
    },
    async handler(ctx) {
      const { targetPath = 'deploy', runbookUrl, ...input } = ctx.input;
      const generation = generateDeployment(input, { runbookUrl });
      const folder = resolveSafeChildPath(ctx.workspacePath, targetPath);
      const relative = path.relative(ctx.workspacePath, folder) || '.';
      await fs.promises.mkdir(folder, { recursive: true });
      for (const file of generation.files) {
        await fs.promises.writeFile(path.join(folder, file.path), file.content);
      }
      for (const line of generation.explanation) {
        ctx.logger.info(line);
      }
      ctx.logger.info(
        `Wrote ${
          generation.objects.length
        } objects to ${relative}: ${describeObjects(generation.objects).join(
          ', ',
        )}`,
      );
      const { capacity } = generation;
      ctx.output('targetPath', relative);
      ctx.output(
        'files',
        generation.files.map(f => path.posix.join(relative, f.path)),
      );
      ctx.output('objects', generation.objects);
      ctx.output('workloadKind', generation.manifests[0].kind);
      ctx.output('minReplicas', capacity.minReplicas);
      ctx.output('maxReplicas', capacity.maxReplicas);
      ctx.output('podsForPeak', capacity.podsForPeak);
      ctx.output('podsWithBuffer', capacity.podsWithBuffer);
      ctx.output('clampedToMax', capacity.clampedToMax);
      ctx.output('backupSchedule', generation.backup.cron);
      ctx.output('explanation', generation.explanation);
    },
  });
}
