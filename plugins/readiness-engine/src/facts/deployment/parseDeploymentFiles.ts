import { objectsFromHelmValues } from './helm';
import { Problems, readDeploymentFiles } from './readFiles';
import { summarise } from './summaries';
import {
  DEPLOYMENT_FACTS_VERSION,
  DeploymentFacts,
  DeploymentFileInput,
  ParseDeploymentFilesOptions,
} from './types';
import { extractWorkloads, isArgoRollout } from './workloads';

/**
 * The facts of a folder with nothing usable in it.
 *
 * @public
 */
export function emptyDeploymentFacts(): DeploymentFacts {
  return {
    version: DEPLOYMENT_FACTS_VERSION,
    source: 'none',
    helm: false,
    files: [],
    errors: [],
    notes: [],
    kinds: {},
    removedApis: [],
    workloads: [],
    mainWorkload: null,
    hpa: null,
    pdb: null,
    probes: { liveness: false, readiness: false, startup: false },
    resources: {
      requestsSet: false,
      limitsSet: false,
      cpuRequestsSet: false,
      memoryRequestsSet: false,
      cpuLimitsSet: false,
      memoryLimitsSet: false,
      cpuRequestMillis: null,
      memoryRequestBytes: null,
      cpuLimitMillis: null,
      memoryLimitBytes: null,
    },
    utilisationTargetsHaveRequests: true,
    ingress: {
      present: false,
      count: 0,
      names: [],
      classNames: [],
      hosts: [],
      tlsHosts: [],
      uncoveredHosts: [],
      tls: false,
      certManagerIssuer: null,
      rateLimited: false,
      waf: false,
    },
    networkPolicy: {
      present: false,
      count: 0,
      selectsWorkload: false,
      defaultDeny: false,
      defaultDenyEgress: false,
      ingressRestricted: false,
      egressRestricted: false,
    },
    rollout: {
      strategy: null,
      tool: null,
      maxSurge: null,
      maxUnavailable: null,
      analysis: false,
    },
    zoneSpread: false,
    selectorsMatch: false,
    selectorMismatches: ['no Deployment, StatefulSet or Rollout found'],
    service: {
      present: false,
      count: 0,
      names: [],
      types: [],
      selectsWorkload: false,
    },
    compression: { detected: false, evidence: [] },
    cdn: { detected: false, evidence: [] },
  };
}

/**
 * Builds the deployment facts of a service from the files of its deployment
 * folder: Kubernetes manifests (multi-document files, `List`s, nested
 * folders) or, when there are none, a Helm chart's values.yaml. Non-YAML files
 * are skipped.
 *
 * Pure: no I/O, and it never throws. Bad YAML, documents without a kind,
 * workloads without containers and bad quantities are reported in `errors`;
 * YAML files that are not manifests are listed in `notes`.
 *
 * @public
 */
export function parseDeploymentFiles(
  files: DeploymentFileInput[],
  options: ParseDeploymentFilesOptions = {},
): DeploymentFacts {
  const problems = new Problems();
  let read;
  try {
    read = readDeploymentFiles(files, problems, options.maxFileSize);
    let objects = read.objects;
    let helm = false;
    const hasWorkload = objects.some(
      o =>
        o.kind === 'Deployment' || o.kind === 'StatefulSet' || isArgoRollout(o),
    );
    if (!hasWorkload && read.helmValues.length > 0) {
      objects = [
        ...objectsFromHelmValues(
          read.helmValues,
          read.chartNames,
          options.workloadName,
          problems,
        ),
        // Extra plain manifests next to the chart (a NetworkPolicy, say) still count.
        ...objects,
      ];
      helm = true;
    } else if (read.helmValues.length > 0) {
      for (const values of read.helmValues) {
        problems.note(
          values.path,
          'Helm values ignored: the folder also holds rendered manifests',
        );
      }
    }
    const workloads = extractWorkloads(objects, problems);
    const summaries = summarise(
      objects,
      workloads,
      options.workloadName,
      problems,
    );
    let source: DeploymentFacts['source'] = 'none';
    if (helm) {
      source = 'helm';
    } else if (objects.length > 0) {
      source = 'manifests';
    }
    return {
      version: DEPLOYMENT_FACTS_VERSION,
      source,
      helm,
      files: read.files,
      errors: problems.errors,
      notes: problems.notes,
      ...summaries,
    };
  } catch (error) {
    // Defensive: a bug here must not break fact collection for the entity.
    const facts = emptyDeploymentFacts();
    facts.files = read?.files ?? [];
    facts.errors = [
      ...problems.errors,
      {
        path: '',
        document: null,
        line: null,
        message: `could not read the deployment files: ${
          error instanceof Error ? error.message : String(error)
        }`,
      },
    ];
    facts.notes = problems.notes;
    return facts;
  }
}
