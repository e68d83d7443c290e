import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { validateManifests } from '@prodready/plugin-readiness-engine';
import { createGenerateDeploymentAction } from './generateDeployment';

// The Argo Rollouts models compile their schema on first use: seconds on a busy machine.
jest.setTimeout(60_000);

describe('readiness:deployment:generate', () => {
  const action = createGenerateDeploymentAction();
  const mockDir = createMockDirectory();

  beforeEach(() => {
    mockDir.clear();
  });

  function context(input: Record<string, unknown>) {
    return createMockActionContext({
      input: {
        name: 'orders',
        image: 'registry.example.com/shop/orders:1.4.2',
        ...input,
      } as any,
      workspacePath: mockDir.path,
    });
  }

  function outputs(ctx: ReturnType<typeof context>) {
    return Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([name, value]) => [
        name,
        value,
      ]),
    );
  }

  function readBack(files: string[]) {
    return files.flatMap(file =>
      parseAllDocuments(
        fs.readFileSync(path.join(mockDir.path, file), 'utf8'),
      ).map(d => d.toJS()),
    );
  }

  it('writes validated manifests for small internal traffic', async () => {
    const ctx = context({
      peakRps: 10,
      perPodRps: 50,
      dataStores: ['postgresql'],
    });
    await action.handler(ctx);
    const out = outputs(ctx);
    expect(out).toMatchObject({
      targetPath: 'deploy',
      workloadKind: 'Deployment',
      minReplicas: 2,
      maxReplicas: 2,
      podsForPeak: 1,
      clampedToMax: false,
      backupSchedule: '7 * * * *',
    });
    expect(out.files).toEqual([
      'deploy/deployment.yaml',
      'deploy/service.yaml',
      'deploy/hpa.yaml',
      'deploy/pdb.yaml',
      'deploy/networkpolicy.yaml',
      'deploy/monitoring.yaml',
      'deploy/backup.yaml',
    ]);
    const objects = readBack(out.files);
    expect(objects.map(o => o.kind)).toEqual(
      out.objects.map((o: any) => o.kind),
    );
    expect(objects.map(o => o.kind)).not.toContain('Ingress');
    expect(validateManifests(objects, { rpoMs: 3_600_000 })).toEqual([]);
  });

  it('clamps huge public traffic, with TLS and a blue-green rollout', async () => {
    const ctx = context({
      peakRps: 250_000,
      perPodRps: 400,
      exposure: 'public',
      host: 'orders.example.com',
      rollout: 'blue-green',
      targetPath: 'k8s/prod',
    });
    await action.handler(ctx);
    const out = outputs(ctx);
    expect(out).toMatchObject({
      targetPath: 'k8s/prod',
      workloadKind: 'Rollout',
      maxReplicas: 50,
      podsWithBuffer: 938,
      clampedToMax: true,
    });
    expect(out.explanation).toContain(
      '938 exceeds the allowed maximum of 50: maxReplicas is capped at 50, so the buffer is not fully met; raise per-pod capacity or the maximum.',
    );
    const objects = readBack(out.files);
    const ingress = objects.find(o => o.kind === 'Ingress');
    expect(ingress.spec.tls).toEqual([
      { hosts: ['orders.example.com'], secretName: 'orders-tls' },
    ]);
    expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(
      'letsencrypt-prod',
    );
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'Rollout/orders',
        'Service/orders-preview',
        'AnalysisTemplate/orders-smoke-tests',
      ]),
    );
    expect(validateManifests(objects)).toEqual([]);
  });

  it.each([
    [
      { peakRps: -100, perPodRps: 50 },
      'peakRps must be a number greater than 0, got -100',
    ],
    [
      { peakRps: 100, perPodRps: 0 },
      'perPodRps must be a number greater than 0, got 0',
    ],
    [
      { peakRps: 'NaN', perPodRps: 50 },
      "peakRps must be a number greater than 0, got 'NaN'",
    ],
    [{ peakRps: 100, perPodRps: 50, exposure: 'public' }, 'host is required'],
  ])(
    'fails on invalid traffic input %j and writes nothing',
    async (input, message) => {
      const ctx = context(input);
      await expect(action.handler(ctx)).rejects.toThrow(message);
      expect(ctx.output).not.toHaveBeenCalled();
      expect(fs.existsSync(path.join(mockDir.path, 'deploy'))).toBe(false);
    },
  );

  it('refuses a target path outside the workspace', async () => {
    const ctx = context({
      peakRps: 100,
      perPodRps: 50,
      targetPath: '../elsewhere',
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'Relative path is not allowed to refer to a directory outside its parent',
    );
  });

  it('declares dry-run support, examples and an output schema', () => {
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.length).toBeGreaterThan(0);
    expect(Object.keys((action.schema?.output as any).properties)).toEqual(
      expect.arrayContaining([
        'files',
        'objects',
        'maxReplicas',
        'backupSchedule',
      ]),
    );
  });
});
