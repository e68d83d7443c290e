import type { Entity } from '@backstage/catalog-model';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { isResourcePermission } from '@backstage/plugin-permission-common';
import * as api from '.';
import {
  BUILT_IN_CHECK_IDS,
  CHECK_RESULT_STATUSES,
  CHECK_SEVERITIES,
  CHECKLIST_ITEM_KINDS,
  CHECKLIST_ITEM_STATUSES,
  CheckDefinition,
  CheckResult,
  DEFAULT_LEVELS,
  PHASE_4_DEPLOYMENT_AND_SCALING,
  READINESS_AREAS,
  READINESS_AREA_IDS,
  Scorecard,
  computeAchievedLevel,
  computeChecklistItemExpiry,
  getApplicabilitySubject,
  getEffectiveChecklistItemStatus,
  getReadinessArea,
  isApplicable,
  isChecklistItemExpired,
  isReadinessAreaId,
  readinessAdminPermission,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  readinessOverviewReadPermission,
  readinessPermissions,
  readinessRefreshPermission,
  readinessScorecardReadPermission,
  scoreArea,
} from '.';

describe('readiness areas', () => {
  it('cover every area of the seed, in display order', () => {
    expect(READINESS_AREAS.map(area => area.id)).toEqual([
      ...READINESS_AREA_IDS,
    ]);
    expect(READINESS_AREA_IDS).toEqual(
      expect.arrayContaining([
        'load-balancing',
        'auto-scaling',
        'performance',
        'cdn',
        'security',
        'compliance',
        'disaster-recovery',
        'sla',
        'monitoring',
      ]),
    );
  });

  it('name their section of the seed and describe themselves', () => {
    expect(
      Object.fromEntries(
        READINESS_AREAS.map(area => [area.id, area.seedSection]),
      ),
    ).toEqual({
      deployment: 'Production Deployment Checklist',
      'load-balancing': 'Load Balancing & Traffic Management',
      'auto-scaling': 'Auto-Scaling Strategies',
      performance: 'Performance Optimization',
      cdn: 'Content Delivery Networks (CDN)',
      security: 'Security & Compliance',
      compliance: 'Compliance Frameworks',
      'disaster-recovery': 'Disaster Recovery & Backup',
      sla: 'Scaling Metrics & SLAs',
      monitoring: 'Production Excellence',
    });
    for (const area of READINESS_AREAS) {
      expect(area.title.length).toBeGreaterThan(2);
      expect(area.description.length).toBeGreaterThan(20);
    }
    expect(getReadinessArea('cdn')?.description).toMatch(/compression/);
    expect(getReadinessArea('security')?.description).toMatch(
      /TLS.*firewall.*rate limiting.*encryption/,
    );
    expect(getReadinessArea('performance')?.description).toMatch(
      /connection pooling.*caching/,
    );
  });

  it('are looked up and recognised by id', () => {
    expect(getReadinessArea('sla')?.title).toBe('SLAs & Performance Targets');
    expect(getReadinessArea('nope')).toBeUndefined();
    expect(isReadinessAreaId('disaster-recovery')).toBe(true);
    expect(isReadinessAreaId('Disaster-Recovery')).toBe(false);
    expect(isReadinessAreaId(undefined)).toBe(false);
  });
});

describe('applicability', () => {
  const service = {
    kind: 'Component',
    type: 'service',
    lifecycle: 'production',
    tier: 'tier-1' as const,
  };

  it('matches everything when absent or empty', () => {
    expect(isApplicable(undefined, service)).toBe(true);
    expect(isApplicable({}, service)).toBe(true);
    expect(
      isApplicable(
        { kinds: [], types: [], lifecycles: [], tiers: [] },
        service,
      ),
    ).toBe(true);
  });

  it('requires every given list to match, case-insensitively', () => {
    expect(
      isApplicable({ kinds: ['component'], types: ['SERVICE'] }, service),
    ).toBe(true);
    expect(isApplicable({ kinds: ['Resource'] }, service)).toBe(false);
    expect(
      isApplicable({ kinds: ['Component'], types: ['website'] }, service),
    ).toBe(false);
    expect(isApplicable({ lifecycles: ['experimental'] }, service)).toBe(false);
    expect(isApplicable({ tiers: ['tier-1', 'tier-2'] }, service)).toBe(true);
    expect(isApplicable({ tiers: ['tier-3'] }, service)).toBe(false);
  });

  it('does not match a list when the subject has no value', () => {
    expect(isApplicable({ tiers: ['tier-1'] }, { kind: 'Component' })).toBe(
      false,
    );
    expect(isApplicable({ types: ['service'] }, { kind: 'Component' })).toBe(
      false,
    );
  });

  it('reads the subject from a catalog entity', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments',
        annotations: { 'prodready.dev/tier': ' tier-2 ' },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    };
    expect(getApplicabilitySubject(entity)).toEqual({
      kind: 'Component',
      type: 'service',
      lifecycle: 'production',
      tier: 'tier-2',
    });
    expect(
      isApplicable(
        PHASE_4_DEPLOYMENT_AND_SCALING.applicability,
        getApplicabilitySubject(entity),
      ),
    ).toBe(true);
    const bare: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'db', annotations: { 'prodready.dev/tier': 'gold' } },
    };
    expect(getApplicabilitySubject(bare)).toEqual({
      kind: 'Resource',
      type: undefined,
      lifecycle: undefined,
      tier: undefined,
    });
    expect(
      isApplicable(
        PHASE_4_DEPLOYMENT_AND_SCALING.applicability,
        getApplicabilitySubject(bare),
      ),
    ).toBe(false);
  });
});

describe('checks, results and scorecards', () => {
  it('have the documented vocabularies', () => {
    expect(CHECK_SEVERITIES).toEqual(['info', 'warning', 'error']);
    expect(CHECK_RESULT_STATUSES).toEqual([
      'pass',
      'fail',
      'warn',
      'not-applicable',
      'error',
    ]);
    expect(CHECKLIST_ITEM_KINDS).toEqual(['manual', 'automatic', 'both']);
    expect(CHECKLIST_ITEM_STATUSES).toEqual(['open', 'done', 'not-applicable']);
    expect(Object.isFrozen(BUILT_IN_CHECK_IDS)).toBe(true);
    for (const id of Object.values(BUILT_IN_CHECK_IDS)) {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('accept json-rules-engine style rules and serialise as JSON', () => {
    const check: CheckDefinition = {
      id: BUILT_IN_CHECK_IDS.hpaConfigured,
      title: 'HPA within the seed bounds',
      area: 'auto-scaling',
      level: 'silver',
      applicability: {
        kinds: ['Component'],
        types: ['service'],
        tiers: ['tier-1', 'tier-2'],
      },
      rule: {
        all: [
          {
            fact: 'kubernetes',
            path: '$.hpa.minReplicas',
            operator: 'greaterThanInclusive',
            value: 2,
          },
          {
            fact: 'kubernetes',
            path: '$.hpa.maxReplicas',
            operator: 'lessThanInclusive',
            value: 50,
          },
          {
            not: {
              fact: 'kubernetes',
              path: '$.hpa',
              operator: 'equal',
              value: null,
            },
          },
          {
            any: [
              {
                fact: 'sla',
                operator: 'equal',
                value: { fact: 'slaDefaults' },
              },
            ],
          },
        ],
      },
      severity: 'error',
      remediation: 'Add a HorizontalPodAutoscaler with 2 to 50 replicas.',
      docsUrl:
        'https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/',
    };
    expect(JSON.parse(JSON.stringify(check))).toEqual(check);
    const scorecard: Scorecard = {
      entityRef: 'component:default/payments',
      level: 'bronze',
      areas: [scoreArea('auto-scaling', [])],
      results: [],
      evaluatedAt: '2025-06-15T12:00:00.000Z',
      stale: true,
      staleReason: 'The source repository could not be read',
    };
    expect(JSON.parse(JSON.stringify(scorecard))).toEqual(scorecard);
  });

  describe('scoreArea', () => {
    it('counts results and scores the applicable ones', () => {
      const waiver = {
        checkId: 'c',
        entityRef: 'component:default/a',
        reason: 'Accepted until migration',
        waivedBy: 'user:default/jane',
        waivedAt: '2025-06-01T00:00:00Z',
      };
      expect(
        scoreArea('security', [
          { status: 'pass' },
          { status: 'pass' },
          { status: 'fail' },
          { status: 'warn' },
          { status: 'error' },
          { status: 'not-applicable' },
          { status: 'fail', waiver },
          { status: 'pass', waiver },
        ]),
      ).toEqual({
        area: 'security',
        score: 57.1,
        passed: 3,
        failed: 1,
        warned: 1,
        errored: 1,
        notApplicable: 1,
        waived: 1,
        total: 8,
      });
    });

    it('has no score when nothing applies', () => {
      expect(scoreArea('cdn', [{ status: 'not-applicable' }]).score).toBeNull();
      expect(scoreArea('cdn', []).score).toBeNull();
      expect(scoreArea('cdn', [{ status: 'pass' }]).score).toBe(100);
      expect(scoreArea('cdn', [{ status: 'fail' }]).score).toBe(0);
    });
  });

  describe('levels', () => {
    const checks = [
      { id: 'b1', level: 'bronze' },
      { id: 'b2', level: 'bronze' },
      { id: 's1', level: 'silver' },
      { id: 'g1', level: 'gold' },
      { id: 'x1', level: 'platinum' },
    ];
    const results = (statuses: Record<string, CheckResult['status']>) =>
      Object.entries(statuses).map(([checkId, status]) => ({
        checkId,
        status,
      }));

    it('default to Bronze, Silver and Gold', () => {
      expect(
        DEFAULT_LEVELS.map(level => [level.id, level.title, level.rank]),
      ).toEqual([
        ['bronze', 'Bronze', 1],
        ['silver', 'Silver', 2],
        ['gold', 'Gold', 3],
      ]);
    });

    it('reach the highest level whose checks and lower ones do not fail', () => {
      expect(
        computeAchievedLevel(
          DEFAULT_LEVELS,
          checks,
          results({ b1: 'pass', b2: 'pass', s1: 'pass', g1: 'pass' }),
        ),
      ).toBe('gold');
      expect(
        computeAchievedLevel(
          DEFAULT_LEVELS,
          checks,
          results({ b1: 'pass', b2: 'warn', s1: 'pass', g1: 'fail' }),
        ),
      ).toBe('silver');
      expect(
        computeAchievedLevel(
          DEFAULT_LEVELS,
          checks,
          results({ b1: 'pass', b2: 'pass', s1: 'error', g1: 'pass' }),
        ),
      ).toBe('bronze');
      expect(
        computeAchievedLevel(
          DEFAULT_LEVELS,
          checks,
          results({ b1: 'fail', b2: 'pass', s1: 'pass', g1: 'pass' }),
        ),
      ).toBeNull();
    });

    it('ignore not-applicable results, unknown levels and unknown checks', () => {
      expect(
        computeAchievedLevel(
          DEFAULT_LEVELS,
          checks,
          results({
            b1: 'pass',
            s1: 'not-applicable',
            g1: 'pass',
            x1: 'fail',
            zz: 'fail',
          }),
        ),
      ).toBe('gold');
      expect(
        computeAchievedLevel(
          DEFAULT_LEVELS,
          checks,
          results({ b1: 'not-applicable' }),
        ),
      ).toBeNull();
      expect(computeAchievedLevel(DEFAULT_LEVELS, checks, [])).toBeNull();
    });

    it('treat waived failures as passing', () => {
      const waiver = {
        checkId: 'b1',
        entityRef: 'component:default/a',
        reason: 'r',
        waivedBy: 'user:default/jane',
        waivedAt: '2025-06-01T00:00:00Z',
      };
      expect(
        computeAchievedLevel(DEFAULT_LEVELS, checks, [
          { checkId: 'b1', status: 'fail', waiver },
          { checkId: 's1', status: 'pass' },
        ]),
      ).toBe('gold');
    });

    it('work with custom levels in any order', () => {
      const gates = [
        { id: 'gate-2', title: 'Gate 2', rank: 20 },
        { id: 'gate-1', title: 'Gate 1', rank: 10 },
      ];
      const gateChecks = [
        { id: 'a', level: 'gate-1' },
        { id: 'b', level: 'gate-2' },
      ];
      expect(
        computeAchievedLevel(
          gates,
          gateChecks,
          results({ a: 'pass', b: 'fail' }),
        ),
      ).toBe('gate-1');
      expect(
        computeAchievedLevel(
          gates,
          gateChecks,
          results({ a: 'pass', b: 'pass' }),
        ),
      ).toBe('gate-2');
    });
  });
});

describe('checklist state', () => {
  const drItem = PHASE_4_DEPLOYMENT_AND_SCALING.checklists[0].items.find(
    item => item.id === 'backup-dr-tested',
  )!;

  it('computes the expiry of an attestation', () => {
    expect(computeChecklistItemExpiry(drItem, '2025-01-15T10:00:00.000Z')).toBe(
      '2026-01-15T10:00:00.000Z',
    );
    expect(
      computeChecklistItemExpiry(drItem, new Date('2024-01-15T10:00:00Z')),
    ).toBe('2025-01-14T10:00:00.000Z');
    expect(
      computeChecklistItemExpiry(
        { expiresAfter: 'P30D' },
        '2025-01-01T00:00:00Z',
      ),
    ).toBe('2025-01-31T00:00:00.000Z');
    expect(
      computeChecklistItemExpiry({}, '2025-01-15T10:00:00Z'),
    ).toBeUndefined();
    expect(
      computeChecklistItemExpiry(
        { expiresAfter: 'a year' },
        '2025-01-15T10:00:00Z',
      ),
    ).toBeUndefined();
    expect(computeChecklistItemExpiry(drItem, 'not a date')).toBeUndefined();
  });

  it('treats an expired attestation as open', () => {
    const state = {
      status: 'done' as const,
      expiresAt: '2026-01-15T10:00:00.000Z',
    };
    const before = new Date('2026-01-15T09:59:59Z');
    const after = new Date('2026-01-15T10:00:00Z');
    expect(isChecklistItemExpired(state, before)).toBe(false);
    expect(isChecklistItemExpired(state, after)).toBe(true);
    expect(getEffectiveChecklistItemStatus(state, before)).toBe('done');
    expect(getEffectiveChecklistItemStatus(state, after)).toBe('open');
    expect(isChecklistItemExpired({ status: 'done' }, after)).toBe(false);
    // A waiver expires too.
    expect(
      isChecklistItemExpired(
        { status: 'not-applicable', expiresAt: '2000-01-01T00:00:00Z' },
        after,
      ),
    ).toBe(true);
    expect(
      getEffectiveChecklistItemStatus(
        { status: 'not-applicable', expiresAt: '2000-01-01T00:00:00Z' },
        after,
      ),
    ).toBe('open');
    expect(
      isChecklistItemExpired(
        { status: 'open', expiresAt: '2000-01-01' },
        after,
      ),
    ).toBe(false);
    expect(
      getEffectiveChecklistItemStatus({ status: 'not-applicable' }, after),
    ).toBe('not-applicable');
    expect(
      isChecklistItemExpired({ status: 'done', expiresAt: 'garbage' }, after),
    ).toBe(false);
  });
});

describe('permissions', () => {
  it('defines resource-scoped permissions on catalog entities', () => {
    for (const [permission, name, action] of [
      [readinessScorecardReadPermission, 'readiness.scorecard.read', 'read'],
      [
        readinessChecklistUpdatePermission,
        'readiness.checklist.update',
        'update',
      ],
      [
        readinessChecklistWaivePermission,
        'readiness.checklist.waive',
        'update',
      ],
      [readinessRefreshPermission, 'readiness.refresh', 'update'],
    ] as const) {
      expect(permission).toEqual({
        type: 'resource',
        name,
        attributes: { action },
        resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
      });
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
    }
  });

  it('defines basic permissions for the overview and administration', () => {
    expect(readinessOverviewReadPermission).toEqual({
      type: 'basic',
      name: 'readiness.overview.read',
      attributes: { action: 'read' },
    });
    expect(readinessAdminPermission).toEqual({
      type: 'basic',
      name: 'readiness.admin',
      attributes: { action: 'update' },
    });
  });

  it('lists every permission once, with unique readiness.* names', () => {
    expect(readinessPermissions).toHaveLength(9);
    const names = readinessPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(9);
    expect(names.every(name => name.startsWith('readiness.'))).toBe(true);
  });
});

describe('package entry point', () => {
  it('exports the public API', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'BUILT_IN_CHECK_IDS',
        'BUILT_IN_PHASES',
        'CHECKLIST_ITEM_KINDS',
        'CHECKLIST_ITEM_STATUSES',
        'CHECK_RESULT_STATUSES',
        'CHECK_SEVERITIES',
        'DEFAULT_LEVELS',
        'PHASE_4_DEPLOYMENT_AND_SCALING',
        'PROMETHEUS_ENDPOINT_NAME_FORM',
        'PROMETHEUS_SELECTOR_FORM',
        'READINESS_ANNOTATIONS',
        'READINESS_ANNOTATION_AVAILABILITY',
        'READINESS_ANNOTATION_BACKUP_RETENTION',
        'READINESS_ANNOTATION_BACKUP_SCHEDULE',
        'READINESS_ANNOTATION_DEPLOYMENT_PATH',
        'READINESS_ANNOTATION_DR_LAST_TESTED',
        'READINESS_ANNOTATION_DR_PLAN_REF',
        'READINESS_ANNOTATION_DR_PLAN_URL',
        'READINESS_ANNOTATION_DR_TEST_INTERVAL',
        'READINESS_ANNOTATION_ERROR_RATE',
        'READINESS_ANNOTATION_LATENCY_P95',
        'READINESS_ANNOTATION_LATENCY_P99',
        'READINESS_ANNOTATION_PEAK_RPS',
        'READINESS_ANNOTATION_PREFIX',
        'READINESS_ANNOTATION_PROMETHEUS_ENDPOINT',
        'READINESS_ANNOTATION_PROMETHEUS_SELECTOR',
        'READINESS_ANNOTATION_RPO',
        'READINESS_ANNOTATION_RTO',
        'READINESS_ANNOTATION_RUNBOOK_URL',
        'READINESS_ANNOTATION_SLA_REF',
        'READINESS_ANNOTATION_TIER',
        'READINESS_AREAS',
        'READINESS_AREA_IDS',
        'READINESS_MANIFEST_ANNOTATION_PER_POD_RPS',
        'READINESS_RELATION_PAIRS',
        'READINESS_TIERS',
        'SEED_SCALING_DEFAULTS',
        'SEED_SLA_DEFAULTS',
        'computeAchievedLevel',
        'computeChecklistItemExpiry',
        'cronMatches',
        'downtimeBudgetMs',
        'formatDuration',
        'getApplicabilitySubject',
        'getEffectiveChecklistItemStatus',
        'getReadinessAnnotationSpec',
        'getReadinessArea',
        'isApplicable',
        'isChecklistItemExpired',
        'isReadinessAnnotationName',
        'isReadinessAreaId',
        'isObservedServiceLevelsEntity',
        'isReadinessTier',
        'nextCronRun',
        'parseAnnotation',
        'parseCron',
        'parseDuration',
        'parseEntityRef',
        'parseHttpUrl',
        'parseIsoDate',
        'parsePercentage',
        'parsePhaseDefinition',
        'parsePositiveNumber',
        'parsePrometheusEndpointName',
        'parsePrometheusSelector',
        'parseReadinessAnnotations',
        'parseRelativePathOrUrl',
        'parseTier',
        'planCapacity',
        'promqlString',
        'readinessAdminPermission',
        'readinessChecklistUpdatePermission',
        'readinessChecklistWaivePermission',
        'readinessOverviewReadPermission',
        'readinessPermissions',
        'readinessRefreshPermission',
        'readinessScorecardReadPermission',
        'scoreArea',
        'unknownPrometheusEndpointMessage',
        'validatePhaseDefinition',
        // Initiatives, notifications, events and signals.
        'DEFAULT_INITIATIVE_REMINDERS',
        'INITIATIVE_GOAL_TYPES',
        'INITIATIVE_SCOPE_KEYS',
        'READINESS_ENTITY_SIGNAL_CHANNEL',
        'READINESS_EVENT_TOPICS',
        'READINESS_NOTIFICATION_TOPICS',
        'READINESS_OVERVIEW_SIGNAL_CHANNEL',
        'daysBetween',
        'initiativeDaysLeft',
        'initiativePhase',
        'readinessInitiativeCreatePermission',
        'readinessInitiativeUpdatePermission',
        'readinessWaiverApprovePermission',
        'validateInitiativeDefinition',
        // Service levels: SLA and DR plan entities.
        'DR_PLAN_RESOURCE_TYPE',
        'EXTERNAL_RESULTS_FACT_ID',
        'RELATION_DR_PLAN_OF',
        'RELATION_HAS_DR_PLAN',
        'RELATION_HAS_SLA',
        'RELATION_SLA_OF',
        'SLA_RESOURCE_TYPE',
        'checkBackupScheduleMeetsRpo',
        'closestName',
        'getDrTestStatus',
        'isDisasterRecoveryPlanEntity',
        'isServiceLevelAgreementEntity',
        'parseDisasterRecoveryPlanSpec',
        'parseServiceLevelAgreementSpec',
        'resolveServiceLevels',
        // REST API: overview queries.
        'OVERVIEW_FILTER_NONE',
        'OBSERVED_SERVICE_LEVELS_FACT_ID',
        'OVERVIEW_ORDER_BY',
        'buildOverviewQueryString',
        'parseOverviewQueryString',
      ].sort(),
    );
  });
});
