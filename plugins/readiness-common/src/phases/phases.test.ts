import { READINESS_AREA_IDS } from '../areas';
import { BUILT_IN_CHECK_IDS } from '../types';
import {
  BUILT_IN_PHASES,
  ChecklistDefinition,
  PHASE_4_DEPLOYMENT_AND_SCALING,
  PhaseDefinition,
  parsePhaseDefinition,
  validatePhaseDefinition,
} from '.';

/*
 * The item texts, copied word for word from
 * seed/phase-4-deployment-and-scaling.md (without the "- [ ]" and "1." markers).
 */
const SEED_PHASE_COMPLETION = [
  'Production environment fully configured',
  'Load balancing and auto-scaling implemented',
  'SSL certificates and domain configuration complete',
  'CDN configured for static assets',
  'Database optimization and scaling setup',
  'Comprehensive monitoring and alerting',
  'Security hardening completed',
  'Backup and disaster recovery tested',
  'Performance optimization implemented',
  'Compliance requirements met',
  'Documentation and runbooks created',
  'Team training on production operations',
];
const SEED_PRE_DEPLOYMENT = [
  'Production environment configured',
  'SSL certificates installed',
  'Domain DNS configured',
  'Database migrations ready',
  'Environment variables set',
  'Security groups configured',
];
const SEED_DEPLOYMENT_PROCESS = [
  'Deploy new version to green environment',
  'Run health checks and smoke tests',
  'Switch load balancer to green',
  'Monitor metrics and error rates',
  'Keep blue environment for quick rollback',
];
const SEED_POST_DEPLOYMENT = [
  'Application health checks passing',
  'Performance metrics within SLA',
  'Error rates below threshold',
  'Log aggregation working',
  'Backup processes verified',
  'Security scans completed',
];

const phase = PHASE_4_DEPLOYMENT_AND_SCALING;

function checklist(id: string): ChecklistDefinition {
  const found = phase.checklists.find(c => c.id === id);
  if (!found) {
    throw new Error(`no checklist ${id}`);
  }
  return found;
}

/** A deep, mutable copy of Phase 4 to break in tests. */
function copy(): PhaseDefinition {
  return JSON.parse(JSON.stringify(phase));
}

describe('PHASE_4_DEPLOYMENT_AND_SCALING', () => {
  it('is Phase 4 "Deployment & Scaling"', () => {
    expect(phase.id).toBe('phase-4');
    expect(phase.title).toBe('Deployment & Scaling');
    expect(phase.description).toBe(
      'The final phase focuses on deploying your SaaS application to production, implementing scaling strategies, optimizing performance, and ensuring security and compliance for real-world usage.',
    );
    expect(BUILT_IN_PHASES).toEqual([phase]);
  });

  it('has the four checklists of the seed with 12, 6, 5 and 6 items', () => {
    expect(phase.checklists.map(c => [c.id, c.title, c.items.length])).toEqual([
      ['phase-completion', 'Phase Completion Checklist', 12],
      ['pre-deployment', 'Pre-Deployment', 6],
      ['deployment-process', 'Deployment Process', 5],
      ['post-deployment', 'Post-Deployment', 6],
    ]);
  });

  it.each([
    ['phase-completion', SEED_PHASE_COMPLETION],
    ['pre-deployment', SEED_PRE_DEPLOYMENT],
    ['deployment-process', SEED_DEPLOYMENT_PROCESS],
    ['post-deployment', SEED_POST_DEPLOYMENT],
  ])('copies the texts of %s word for word, in order', (id, texts) => {
    expect(checklist(id).items.map(item => item.text)).toEqual(texts);
  });

  it('keeps the comments of the seed as checklist descriptions', () => {
    expect(checklist('pre-deployment').description).toBe(
      'Environment verification',
    );
    expect(checklist('deployment-process').description).toBe(
      'Blue-Green deployment example',
    );
    expect(checklist('post-deployment').description).toBe(
      'Monitoring and validation',
    );
  });

  it('numbers the blue-green steps 1 to 5', () => {
    const process = checklist('deployment-process');
    expect(process.ordered).toBe(true);
    expect(process.items.map(item => item.ordered)).toEqual([1, 2, 3, 4, 5]);
    for (const other of phase.checklists.filter(c => c !== process)) {
      expect(other.ordered).toBeUndefined();
      expect(other.items.every(item => item.ordered === undefined)).toBe(true);
    }
  });

  it('uses stable slug ids, unique within the phase', () => {
    const ids = phase.checklists.flatMap(c => c.items.map(item => item.id));
    expect(ids).toHaveLength(29);
    expect(new Set(ids).size).toBe(29);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(checklist('phase-completion').items.map(item => item.id)).toEqual([
      'production-environment-configured',
      'load-balancing-auto-scaling',
      'ssl-domain-configuration',
      'cdn-static-assets',
      'database-optimization-scaling',
      'monitoring-alerting',
      'security-hardening',
      'backup-dr-tested',
      'performance-optimization',
      'compliance-requirements',
      'documentation-runbooks',
      'team-training',
    ]);
  });

  it('expires the backup and disaster recovery attestation after a year', () => {
    const items = phase.checklists.flatMap(c => c.items);
    const expiring = items.filter(item => item.expiresAfter !== undefined);
    expect(expiring.map(item => [item.text, item.expiresAfter])).toEqual([
      ['Backup and disaster recovery tested', '365d'],
    ]);
  });

  it('binds automatic and both items to built-in checks, and manual items to none', () => {
    const builtIn = new Set<string>(Object.values(BUILT_IN_CHECK_IDS));
    const items = phase.checklists.flatMap(c => c.items);
    const manual = items.filter(item => item.kind === 'manual');
    const checked = items.filter(item => item.kind !== 'manual');
    expect(manual.length).toBeGreaterThan(0);
    expect(checked.length).toBeGreaterThan(0);
    expect(manual.filter(item => item.checks !== undefined)).toEqual([]);
    expect(checked.filter(item => !item.checks?.length)).toEqual([]);
    expect(
      checked.flatMap(item => item.checks ?? []).filter(id => !builtIn.has(id)),
    ).toEqual([]);
    // Every built-in check backs at least one item.
    const used = new Set(
      phase.checklists.flatMap(c => c.items.flatMap(i => i.checks ?? [])),
    );
    expect([...builtIn].filter(id => !used.has(id))).toEqual([]);
  });

  it('puts every item in a readiness area', () => {
    for (const item of phase.checklists.flatMap(c => c.items)) {
      expect(READINESS_AREA_IDS).toContain(item.area);
    }
  });

  it('applies to services and websites', () => {
    expect(phase.applicability).toEqual({
      kinds: ['Component'],
      types: ['service', 'website'],
    });
  });

  it('is valid and deeply frozen', () => {
    expect(validatePhaseDefinition(phase)).toEqual([]);
    expect(
      validatePhaseDefinition(phase, {
        knownCheckIds: Object.values(BUILT_IN_CHECK_IDS),
      }),
    ).toEqual([]);
    expect(Object.isFrozen(phase)).toBe(true);
    expect(Object.isFrozen(phase.checklists[0].items[0])).toBe(true);
    expect(Object.isFrozen(phase.checklists[0].items[1].checks)).toBe(true);
  });
});

describe('validatePhaseDefinition', () => {
  it('accepts a minimal phase, as loaded from YAML', () => {
    const phase3 = {
      id: 'phase-3',
      title: 'DevOps & Infrastructure',
      checklists: [
        {
          id: 'ci-cd',
          title: 'CI/CD',
          items: [
            {
              id: 'pipeline',
              text: 'CI/CD pipeline implemented',
              kind: 'manual',
            },
            {
              id: 'iac',
              text: 'Infrastructure as code',
              kind: 'automatic',
              checks: ['tech-insights.iac'],
              expiresAfter: 'P90D',
            },
          ],
        },
      ],
    };
    expect(validatePhaseDefinition(phase3)).toEqual([]);
    expect(parsePhaseDefinition(phase3)).toEqual({ ok: true, value: phase3 });
  });

  it.each([[null], ['phase-4'], [[]], [42], [undefined]])(
    'rejects %j, which is not an object',
    value => {
      const errors = validatePhaseDefinition(value);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^phase definition .* is not an object$/);
    },
  );

  it('reports missing top-level fields', () => {
    expect(validatePhaseDefinition({})).toEqual([
      "phase: id is missing; expected a lowercase slug such as 'phase-4'",
      'phase: title is missing; expected a non-empty string',
      'phase: checklists is missing; expected a non-empty list of checklists',
    ]);
  });

  it('reports bad top-level fields', () => {
    expect(
      validatePhaseDefinition({
        id: 'Phase 4',
        title: '  ',
        description: 7,
        order: 'first',
        checklist: [],
        checklists: [],
      }),
    ).toEqual([
      "phase: id 'Phase 4' is not a lowercase slug such as 'phase-4'",
      "phase: unknown property 'checklist'; expected one of id, title, description, order, applicability, checklists",
      "phase: title '  ' is not a non-empty string",
      'phase: description 7 is not a string',
      "phase: order 'first' is not a number",
      'phase: checklists [] is not a non-empty list of checklists',
    ]);
  });

  it('reports bad applicability', () => {
    const bad = copy() as unknown as Record<string, unknown>;
    bad.applicability = {
      kinds: 'Component',
      tiers: ['tier-1', 'gold'],
      owners: [],
    };
    expect(validatePhaseDefinition(bad)).toEqual([
      "phase 'phase-4': applicability has unknown property 'owners'; expected one of kinds, types, lifecycles, tiers",
      "phase 'phase-4': applicability.kinds 'Component' is not a list of non-empty strings",
      "phase 'phase-4': applicability.tiers[1] 'gold' is not a tier; expected one of tier-1, tier-2, tier-3, tier-4",
    ]);
    bad.applicability = ['Component'];
    expect(validatePhaseDefinition(bad)).toEqual([
      'phase \'phase-4\': applicability ["Component"] is not an object',
    ]);
  });

  it('reports bad checklists', () => {
    const bad = copy();
    const lists = bad.checklists as unknown[];
    lists.push('oops');
    lists.push({ id: 'pre-deployment', title: 'Again', items: [] });
    lists.push({
      title: 'No id',
      items: [{ id: 'x1', text: 'X', kind: 'manual' }],
    });
    expect(validatePhaseDefinition(bad)).toEqual([
      "phase 'phase-4', checklist #5: 'oops' is not an object",
      "phase 'phase-4', checklist 'pre-deployment': duplicate checklist id 'pre-deployment'",
      "phase 'phase-4', checklist 'pre-deployment': items [] is not a non-empty list of items",
      "phase 'phase-4', checklist #7: id is missing; expected a lowercase slug such as 'phase-4'",
    ]);
  });

  it('reports bad items, naming the phase, checklist and item', () => {
    const bad = copy();
    const items = bad.checklists[1].items as unknown[];
    items.push(
      { id: 'pre-ssl-certificates', text: 'Duplicate', kind: 'manual' },
      { id: 'auto', text: 'Automatic without checks', kind: 'automatic' },
      {
        id: 'manual-with-checks',
        text: 'Manual',
        kind: 'manual',
        checks: ['ingress-tls'],
      },
      { id: 'bad-kind', text: 'Bad kind', kind: 'auto', check: 'x' },
      {
        id: 'bad-checks',
        text: 'Bad checks',
        kind: 'both',
        checks: ['Not An Id', 'a', 'a', 7],
      },
      {
        id: 'not-a-list',
        text: 'Checks not a list',
        kind: 'both',
        checks: 'ingress-tls',
      },
      {
        id: 'bad-expiry',
        text: 'Bad expiry',
        kind: 'manual',
        expiresAfter: '1 year',
      },
      { id: 'bad-area', text: 'Bad area', kind: 'manual', area: 'networking' },
      { id: 'no-text', kind: 'manual' },
      { text: 'No id', kind: 'manual' },
      'item',
      { id: 'no-kind', text: 'No kind', description: 3 },
    );
    expect(validatePhaseDefinition(bad)).toEqual([
      "phase 'phase-4', checklist 'pre-deployment', item 'pre-ssl-certificates': duplicate item id 'pre-ssl-certificates'; item ids must be unique within the phase",
      "phase 'phase-4', checklist 'pre-deployment', item 'auto': kind 'automatic' needs checks; expected a non-empty list of check ids",
      "phase 'phase-4', checklist 'pre-deployment', item 'manual-with-checks': a manual item cannot have checks; use kind 'both' to add checks",
      "phase 'phase-4', checklist 'pre-deployment', item 'bad-kind': unknown property 'check'; expected one of id, text, kind, checks, expiresAfter, ordered, area, description",
      "phase 'phase-4', checklist 'pre-deployment', item 'bad-kind': kind 'auto' is not one of manual, automatic, both",
      "phase 'phase-4', checklist 'pre-deployment', item 'bad-checks': checks[0] 'Not An Id' is not a check id",
      "phase 'phase-4', checklist 'pre-deployment', item 'bad-checks': check 'a' is listed twice",
      "phase 'phase-4', checklist 'pre-deployment', item 'bad-checks': checks[3] 7 is not a check id",
      "phase 'phase-4', checklist 'pre-deployment', item 'not-a-list': checks 'ingress-tls' is not a list of check ids",
      "phase 'phase-4', checklist 'pre-deployment', item 'bad-expiry': expiresAfter: '1 year' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
      "phase 'phase-4', checklist 'pre-deployment', item 'bad-area': area 'networking' is not a readiness area; expected one of deployment, load-balancing, auto-scaling, performance, cdn, security, compliance, disaster-recovery, sla, monitoring",
      "phase 'phase-4', checklist 'pre-deployment', item 'no-text': text is missing; expected a non-empty string",
      "phase 'phase-4', checklist 'pre-deployment', item #16: id is missing; expected a lowercase slug such as 'phase-4'",
      "phase 'phase-4', checklist 'pre-deployment', item #17: 'item' is not an object",
      "phase 'phase-4', checklist 'pre-deployment', item 'no-kind': description 3 is not a string",
      "phase 'phase-4', checklist 'pre-deployment', item 'no-kind': kind is missing; expected one of manual, automatic, both",
    ]);
  });

  it('reports checks that do not exist when the known checks are given', () => {
    expect(
      validatePhaseDefinition(phase, { knownCheckIds: ['ingress-tls'] }),
    ).toContain(
      "phase 'phase-4', checklist 'phase-completion', item 'load-balancing-auto-scaling': check 'hpa-configured' does not exist",
    );
  });

  it('reports ordered steps that are not numbered 1 to N', () => {
    const bad = copy();
    const steps = bad.checklists[2].items;
    steps[1].ordered = 3;
    steps[2].ordered = 2;
    delete steps[4].ordered;
    (steps[3] as unknown as Record<string, unknown>).ordered = 0;
    expect(validatePhaseDefinition(bad)).toEqual([
      "phase 'phase-4', checklist 'deployment-process', item 'monitor-metrics-error-rates': ordered 0 is not a positive integer",
      "phase 'phase-4', checklist 'deployment-process': ordered steps must be numbered 1 to 5 in list order; found 1, 3, 2, 0, (none)",
    ]);
  });

  it('requires ordered checklists to be marked as such, and vice versa', () => {
    const unmarked = copy();
    delete unmarked.checklists[2].ordered;
    expect(validatePhaseDefinition(unmarked)).toEqual([
      "phase 'phase-4', checklist 'deployment-process': items have step numbers, so the checklist needs ordered: true",
    ]);
    const unnumbered = copy();
    unnumbered.checklists[1].ordered = true;
    expect(validatePhaseDefinition(unnumbered)).toEqual([
      "phase 'phase-4', checklist 'pre-deployment': ordered steps must be numbered 1 to 6 in list order; found (none), (none), (none), (none), (none), (none)",
    ]);
    const notBoolean = copy() as unknown as {
      checklists: Record<string, unknown>[];
    };
    notBoolean.checklists[2].ordered = 'yes';
    expect(validatePhaseDefinition(notBoolean)).toEqual([
      "phase 'phase-4', checklist 'deployment-process': ordered 'yes' is not true or false",
      "phase 'phase-4', checklist 'deployment-process': items have step numbers, so the checklist needs ordered: true",
    ]);
  });

  it('joins all errors in parsePhaseDefinition', () => {
    expect(parsePhaseDefinition({ id: 'x' })).toEqual({
      ok: false,
      error:
        "phase 'x': title is missing; expected a non-empty string\nphase 'x': checklists is missing; expected a non-empty list of checklists",
    });
  });
});
