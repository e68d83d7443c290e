import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import type {
  CheckResult,
  JsonObject,
} from '@prodready/plugin-readiness-common';
import {
  EXAMPLES_DIR,
  EXAMPLES_NOW,
  collectFacts,
  createExampleCollectors,
  exampleServices,
  loadExampleEntities,
} from '../__testUtils__/examples';
import { BUILT_IN_CHECKS } from '../builtin';
import { compileChecks } from '../rules';
import { evaluateChecks } from '../scoring';
import { computeRemediation, REMEDIABLE_AREAS } from './computeRemediation';
import { FIXERS } from './fixers';
import { createFsDeploymentFilesReader } from '../facts/collectors/deployment';
import { locateDeploymentFiles } from '../facts/collectors/deployment/locate';

const entities = loadExampleEntities();
const collectors = createExampleCollectors(entities);
const checks = compileChecks(BUILT_IN_CHECKS);

function score(entity: Entity, facts: Record<string, JsonObject>) {
  return new Map<string, CheckResult>(
    evaluateChecks(checks, {
      entity,
      entityRef: `component:default/${entity.metadata.name}`,
      facts,
      now: EXAMPLES_NOW,
    }).map(r => [r.checkId, r]),
  );
}

async function readDeploymentFiles(entity: Entity) {
  const located = locateDeploymentFiles(entity);
  const result = await createFsDeploymentFilesReader().read(located.target!);
  if (result.status !== 'ok') throw new Error(`cannot read ${result.status}`);
  return result.files;
}

/** The entity, moved with a copy of its repository to a temporary folder, with the patch applied. */
function patchedCopy(
  entity: Entity,
  service: string,
  files: ReadonlyArray<{ path: string; after: string }>,
): Entity {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'remediation-'));
  fs.cpSync(
    path.join(EXAMPLES_DIR, 'repos', service),
    path.join(dir, 'repos', service),
    { recursive: true },
  );
  const deployDir = path.join(dir, 'repos', service, 'deploy');
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(deployDir, file.path)), {
      recursive: true,
    });
    fs.writeFileSync(path.join(deployDir, file.path), file.after);
  }
  const catalogFile = path.join(dir, 'entities.yaml');
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        [ANNOTATION_LOCATION]: `file:${catalogFile}`,
        [ANNOTATION_ORIGIN_LOCATION]: `file:${catalogFile}`,
      },
    },
  };
}

/** The checks fixed (and re-scored as passing) in some example service. */
const fixedInExamples = new Set<string>();

const withManifests = exampleServices(entities).filter(entity =>
  fs.existsSync(path.join(EXAMPLES_DIR, 'repos', entity.metadata.name)),
);

describe('computeRemediation on the example services', () => {
  it.each(withManifests.map(e => [e.metadata.name, e] as const))(
    '%s: every fix makes its check pass when the collectors read the patched files again, and nothing regresses',
    async (name, entity) => {
      const facts = await collectFacts(entity, collectors);
      const before = score(entity, facts);
      const plan = computeRemediation({
        entity,
        files: await readDeploymentFiles(entity),
        facts,
        now: EXAMPLES_NOW,
      });
      for (const fix of plan.fixes) {
        fixedInExamples.add(fix.checkId);
        expect(before.get(fix.checkId)?.status).toMatch(/^(fail|warn)$/);
        expect(fix.after).toBe('pass');
        expect(fix.diff).toMatch(/^--- /);
        expect(fix.summary).not.toMatch(/my-service/);
      }
      // Re-collect from disk, through the real collectors.
      const patched = patchedCopy(entity, name, plan.files);
      const after = score(patched, await collectFacts(patched, collectors));
      for (const fix of plan.fixes) {
        expect({
          check: fix.checkId,
          status: after.get(fix.checkId)?.status,
        }).toEqual({
          check: fix.checkId,
          status: 'pass',
        });
      }
      const regressions = [...before]
        .filter(([, r]) => r.status === 'pass')
        .filter(([id]) => after.get(id)?.status !== 'pass')
        .map(([id]) => `${id}: ${after.get(id)?.message}`);
      expect(regressions).toEqual([]);
      // Every failing check of the remediable areas is either fixed or explained.
      const explained = new Set([
        ...plan.fixes.map(f => f.checkId),
        ...plan.unfixable.map(u => u.checkId),
      ]);
      const remediable = BUILT_IN_CHECKS.filter(c =>
        REMEDIABLE_AREAS.includes(c.area),
      ).map(c => c.id);
      const stillFailing = remediable.filter(id =>
        ['fail', 'warn'].includes(before.get(id)?.status ?? ''),
      );
      expect(stillFailing.filter(id => !explained.has(id))).toEqual([]);
    },
  );

  it('fraud-detection: the exact fixes of its documented gaps', async () => {
    const entity = withManifests.find(
      e => e.metadata.name === 'fraud-detection',
    )!;
    const facts = await collectFacts(entity, collectors);
    const plan = computeRemediation({
      entity,
      files: await readDeploymentFiles(entity),
      facts,
      now: EXAMPLES_NOW,
    });
    expect(plan.fixes.map(f => f.checkId)).toEqual(
      expect.arrayContaining([
        'pdb-configured',
        'zone-spread',
        'hpa-capacity',
        'network-policy',
      ]),
    );
    const pdb = plan.fixes.find(f => f.checkId === 'pdb-configured')!;
    expect(pdb.summary).toMatch(/selects the pods of `fraud-detection`/);
    expect(pdb.diff).toContain('+kind: PodDisruptionBudget');
    const capacity = plan.fixes.find(f => f.checkId === 'hpa-capacity')!;
    expect(capacity.summary).toMatch(/from 6 to 15/);
    expect(capacity.diff).toMatch(/-\s+maxReplicas: 6\n\+\s+maxReplicas: 15/);
    expect(plan.description).toContain('pdb-configured');
  });

  it('every check that has a fixer is fixed and re-scored in an example service, or in a case of computeRemediation.test.ts', () => {
    // Fixed only in the cases of computeRemediation.test.ts (no example
    // service fails them the way the fix needs).
    const casesOnly = [
      'hpa-configured',
      'hpa-utilization-targets',
      'hpa-scaling-behavior',
      'no-removed-api-versions',
      'resource-requests',
      'zero-downtime-rollout',
    ];
    const withFixer = [...FIXERS.keys()].filter(
      id => !['backup-scheduled', 'backup-meets-rpo'].includes(id),
    );
    const uncovered = withFixer.filter(
      id => !fixedInExamples.has(id) && !casesOnly.includes(id),
    );
    expect(uncovered).toEqual([]);
  });
});
