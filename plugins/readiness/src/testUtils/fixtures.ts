/*
 * Test data and a mock ReadinessApi shared by the component tests.
 */
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { SignalApi } from '@backstage/plugin-signals-react';
import {
  EntityChecklistItem,
  EntityChecklists,
  EntityScorecard,
  EntityScorecardResult,
  EntityStoredFacts,
  InitiativeDetail,
  OBSERVED_SERVICE_LEVELS_FACT_ID,
  ObservedDailyAvailability,
  ObservedServiceLevelsFacts,
  OverviewItem,
  RemediationPlan,
  WaiverRequest,
} from '@prodready/plugin-readiness-common';
import { ReadinessApi } from '../api';

/** A ResponseError as the client throws it, with the given status. */
export async function responseError(
  status: number,
  statusText: string,
  message = statusText,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        request: { method: 'GET', url: '/api/readiness' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

const notMocked = (name: string) => () =>
  Promise.reject(new Error(`${name} is not mocked in this test`));

/** A ReadinessApi whose every method rejects unless overridden. */
export function mockReadinessApi(
  overrides: Partial<ReadinessApi> = {},
): ReadinessApi {
  const api: Record<string, unknown> = {};
  for (const name of [
    'getHealth',
    'getCatalogProblems',
    'getChecks',
    'getScorecard',
    'getHistory',
    'getTrend',
    'refresh',
    'getOverview',
    'getOverviewSummary',
    'getPortfolioTrend',
    'getOverviewCsvUrl',
    'downloadOverviewCsv',
    'getStatus',
    'getPhases',
    'getChecklists',
    'updateChecklistItem',
    'getChecklistAudit',
    'getRemediation',
    'getFacts',
    'getInitiatives',
    'getInitiative',
    'getInitiativeEntities',
    'getInitiativeEntitiesCsvUrl',
    'downloadInitiativeEntitiesCsv',
    'getInitiativeAudit',
    'getEntityInitiatives',
    'createInitiative',
    'updateInitiative',
    'deleteInitiative',
    'getGroupRollup',
    'requestWaiver',
    'decideWaiver',
    'withdrawWaiver',
    'getWaiverRequests',
  ]) {
    api[name] = notMocked(name);
  }
  return { ...(api as unknown as ReadinessApi), ...overrides };
}

/** A service component. */
export function service(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
  };
}

/** A scorecard at Bronze with two failing checks, one warning, one pass. */
export function scorecard(
  entityRef: string,
  overrides: Partial<EntityScorecard> = {},
): EntityScorecard {
  return {
    entityRef,
    level: 'bronze',
    levelTitle: 'Bronze',
    score: 62.5,
    evaluatedAt: '2026-11-26T11:50:00.000Z',
    stale: false,
    areas: [
      {
        area: 'auto-scaling',
        score: 50,
        passed: 1,
        failed: 1,
        warned: 0,
        errored: 0,
        notApplicable: 0,
        waived: 0,
        total: 2,
      },
      {
        area: 'disaster-recovery',
        score: 0,
        passed: 0,
        failed: 1,
        warned: 0,
        errored: 0,
        notApplicable: 0,
        waived: 0,
        total: 1,
      },
      {
        area: 'monitoring',
        score: 100,
        passed: 0,
        failed: 0,
        warned: 1,
        errored: 0,
        notApplicable: 0,
        waived: 0,
        total: 1,
      },
    ],
    results: [
      {
        checkId: 'dr-tested',
        title: 'Disaster recovery tested on schedule',
        area: 'disaster-recovery',
        level: 'silver',
        severity: 'error',
        status: 'fail',
        message:
          'The last DR test (2026-02-10) is 289 days old; the interval is 180d',
        remediation: 'Run a DR test and set prodready.dev/dr-last-tested.',
        docsUrl: 'https://docs.example.com/dr-testing',
        updatedAt: '2026-11-26T11:50:00.000Z',
      },
      {
        checkId: 'hpa-max-replicas',
        title: 'HPA max replicas covers the peak',
        area: 'auto-scaling',
        level: 'silver',
        severity: 'error',
        status: 'fail',
        message: 'maxReplicas (6) is below the 15 the peak needs',
        remediation:
          'Raise maxReplicas to at least 15:\nspec:\n  maxReplicas: 15',
        updatedAt: '2026-11-26T11:50:00.000Z',
      },
      {
        checkId: 'alerts-defined',
        title: 'SLO alerts defined',
        area: 'monitoring',
        level: 'gold',
        severity: 'warning',
        status: 'warn',
        message: 'Only the availability alert is defined',
        remediation:
          'groups:\n  - name: slo\n    rules:\n      - alert: LatencyHigh',
        updatedAt: '2026-11-26T11:50:00.000Z',
      },
      {
        checkId: 'hpa-configured',
        title: 'HorizontalPodAutoscaler configured',
        area: 'auto-scaling',
        level: 'bronze',
        severity: 'error',
        status: 'pass',
        message: 'HPA payments-api scales 2..6',
        remediation: 'Add an HPA.',
        updatedAt: '2026-11-26T11:50:00.000Z',
      },
    ],
    ...overrides,
  };
}

/**
 * Two failing deployment checks in addition to those of {@link scorecard}:
 * a PodDisruptionBudget (its generic example names `my-service`) and the HPA
 * capacity (which needs a load test).
 */
export const DEPLOYMENT_RESULTS: EntityScorecardResult[] = [
  {
    checkId: 'pdb-configured',
    title: 'A PodDisruptionBudget that leaves room to drain',
    area: 'load-balancing',
    level: 'silver',
    severity: 'error',
    status: 'fail',
    message: 'No PodDisruptionBudget selects the pods',
    remediation: [
      'With at least two replicas:',
      'apiVersion: policy/v1',
      'kind: PodDisruptionBudget',
      'metadata:',
      '  name: my-service',
      'spec:',
      '  maxUnavailable: 1',
    ].join('\n'),
    docsUrl: 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
    updatedAt: '2026-11-26T11:50:00.000Z',
  },
  {
    checkId: 'hpa-capacity',
    title: 'HPA capacity covers the peak',
    area: 'auto-scaling',
    level: 'gold',
    severity: 'error',
    status: 'fail',
    message: 'The per-pod capacity is unknown',
    remediation:
      'Load test one pod and record its capacity:\nmetadata:\n  annotations:\n    prodready.dev/per-pod-rps: "120"',
    updatedAt: '2026-11-26T11:50:00.000Z',
  },
];

/**
 * The remediation plan of the service `name` for the checks of
 * {@link scorecard} and {@link DEPLOYMENT_RESULTS}: two fixes (a new
 * PodDisruptionBudget appended to `deployment.yaml`, a higher maxReplicas in
 * `hpa.yaml`) and the HPA capacity that it cannot fix.
 */
export function remediationPlan(
  name: string,
  overrides: Partial<RemediationPlan> = {},
): RemediationPlan {
  const pdbDiff = [
    '--- a/deployment.yaml',
    '+++ b/deployment.yaml',
    '@@ -18,2 +18,10 @@',
    '       - name: app',
    `         image: registry.example.com/${name}:1.4.2`,
    '+---',
    '+apiVersion: policy/v1',
    '+kind: PodDisruptionBudget',
    '+metadata:',
    `+  name: ${name}`,
    '+spec:',
    '+  maxUnavailable: 1',
    `+  selector: { matchLabels: { app.kubernetes.io/name: ${name} } }`,
    '',
  ].join('\n');
  const hpaDiff = [
    '--- a/hpa.yaml',
    '+++ b/hpa.yaml',
    '@@ -6,3 +6,3 @@',
    '   minReplicas: 2',
    '-  maxReplicas: 6',
    '+  maxReplicas: 15',
    '   metrics:',
    '',
  ].join('\n');
  return {
    entityRef: `component:default/${name}`,
    source: 'manifests',
    deploymentTarget: `url:https://git.example.com/${name}/tree/main/deploy`,
    fixes: [
      {
        checkId: 'pdb-configured',
        title: 'A PodDisruptionBudget that leaves room to drain',
        summary: `Add a PodDisruptionBudget (maxUnavailable 1) that selects the pods of ${name}`,
        message: 'No PodDisruptionBudget selects the pods',
        before: 'fail',
        after: 'pass',
        paths: ['deployment.yaml'],
        diff: pdbDiff,
      },
      {
        checkId: 'hpa-max-replicas',
        title: 'HPA max replicas covers the peak',
        summary: `Raise maxReplicas of ${name} from 6 to 15`,
        message: 'maxReplicas (6) is below the 15 the peak needs',
        before: 'fail',
        after: 'pass',
        paths: ['hpa.yaml'],
        diff: hpaDiff,
      },
    ],
    unfixable: [
      {
        checkId: 'hpa-capacity',
        title: 'HPA capacity covers the peak',
        message: 'The per-pod capacity is unknown',
        reason:
          'the capacity of one pod is unknown; only a load test can tell it.',
      },
    ],
    files: [
      {
        path: 'deployment.yaml',
        change: 'modify',
        before: 'kind: Deployment\n',
        after: 'kind: Deployment\n---\nkind: PodDisruptionBudget\n',
        diff: pdbDiff,
      },
      {
        path: 'hpa.yaml',
        change: 'modify',
        before: '  maxReplicas: 6\n',
        after: '  maxReplicas: 15\n',
        diff: hpaDiff,
      },
    ],
    description: 'Fixes 2 failing readiness checks',
    computedAt: '2026-11-26T11:55:00.000Z',
    ...overrides,
  };
}

/** A checklist item of Phase 4, never changed. */
export function openItem(
  id: string,
  text: string,
  kind: 'manual' | 'automatic' | 'both' = 'manual',
): EntityChecklistItem {
  return {
    definition: {
      id,
      text,
      kind,
      expiresAfter: kind === 'manual' ? '365d' : undefined,
    },
    state: {
      entityRef: 'component:default/x',
      phaseId: 'phase-4',
      checklistId: 'completion',
      itemId: id,
      status: 'open',
      version: 0,
    },
    effectiveStatus: 'open',
    expired: false,
    expiresSoon: false,
    checks: [],
    checksPassing: kind === 'manual' ? null : false,
  };
}

/** The checklists of an entity: one phase, one checklist of the given items. */
export function checklists(
  entityRef: string,
  items: EntityChecklistItem[],
): EntityChecklists {
  const done = items.filter(i => i.effectiveStatus !== 'open').length;
  const progress = {
    done,
    total: items.length,
    notApplicable: items.filter(i => i.effectiveStatus === 'not-applicable')
      .length,
    blocking: items
      .filter(i => i.effectiveStatus === 'open')
      .map(i => ({
        phaseId: 'phase-4',
        checklistId: 'completion',
        itemId: i.definition.id,
        text: i.definition.text,
      })),
    expiringSoon: [],
  };
  return {
    entityRef,
    phases: [
      {
        id: 'phase-4',
        title: 'Phase 4: Deployment & Scaling',
        progress,
        checklists: [
          {
            id: 'completion',
            title: 'Phase Completion Checklist',
            ordered: false,
            progress,
            items,
          },
        ],
      },
    ],
  };
}

/** An overview row. */
export function overviewItem(
  name: string,
  overrides: Partial<OverviewItem> = {},
): OverviewItem {
  return {
    entityRef: `component:default/${name}`,
    kind: 'component',
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    tier: 'tier-1',
    level: null,
    score: 40,
    areas: { 'disaster-recovery': 0, 'auto-scaling': 50, security: 100 },
    passed: 4,
    failed: 6,
    evaluatedAt: '2026-11-26T11:00:00.000Z',
    stale: false,
    phases: [{ phaseId: 'phase-4', done: 3, total: 29 }],
    ...overrides,
  };
}

/**
 * 28 days of availability from 2026-10-29 to 2026-11-25: 99.98% each day,
 * except the days given (a value, or null for a day without traffic).
 */
export function dailyAvailability(
  exceptions: Record<string, number | null> = {},
): ObservedDailyAvailability[] {
  return Array.from({ length: 28 }, (_, index) => {
    const date = new Date(Date.UTC(2026, 9, 29 + index))
      .toISOString()
      .slice(0, 10);
    return {
      date,
      availabilityPercent: date in exceptions ? exceptions[date] : 99.98,
    };
  });
}

/**
 * The observed service levels of a healthy service over 28 days, read at
 * 11:55 on 2026-11-26: every target met, 30% of the error budget used.
 */
export function observedFacts(
  overrides: Partial<ObservedServiceLevelsFacts> = {},
): ObservedServiceLevelsFacts {
  return {
    status: 'ok',
    endpoint: 'http://prometheus.monitoring:9090',
    selector: 'job="payments"',
    selectorSource: 'default',
    window: '28d',
    windowMs: 28 * 24 * 3_600_000,
    windowText: '28 d',
    readAt: '2026-11-26T11:55:00.000Z',
    targets: {
      availabilityPercent: 99.9,
      latencyP95Ms: 200,
      errorRatePercent: 0.1,
    },
    emittedLast24h: true,
    requests: 12_345_678,
    availabilityPercent: 99.97,
    errorRatePercent: 0.03,
    latencyP95Ms: 143.2,
    latencyP99Ms: 388,
    errorBudget: {
      allowedMs: 2_419_200,
      usedMs: 725_760,
      consumedPercent: 30,
      remainingPercent: 70,
      exhausted: false,
      allowedText: '40m 19s',
      usedText: '12m 5s',
    },
    burnRate: { oneHour: 0.4, sixHours: 0.25 },
    daily: dailyAvailability(),
    queries: [],
    ...overrides,
  };
}

/** The stored facts of an entity, with an `observedServiceLevels` document when given. */
export function storedFacts(
  entityRef: string,
  observed?: ObservedServiceLevelsFacts,
  options: { stale?: boolean; error?: string } = {},
): EntityStoredFacts {
  return {
    entityRef,
    facts: {
      entity: {
        version: 1,
        facts: { kind: 'Component' },
        collectedAt: '2026-11-26T11:55:00.000Z',
        stale: false,
      },
      ...(observed && {
        [OBSERVED_SERVICE_LEVELS_FACT_ID]: {
          version: 1,
          facts: observed as unknown as { [key: string]: unknown },
          collectedAt: '2026-11-26T11:55:00.000Z',
          stale: options.stale ?? false,
          ...(options.error && { error: options.error }),
        },
      }),
    },
  };
}

/** An initiative with its progress; met + exempt of total. */
export function initiative(
  id: string,
  overrides: Partial<InitiativeDetail> = {},
): InitiativeDetail {
  return {
    id,
    title: `Initiative ${id}`,
    owner: 'group:default/platform',
    startDate: '2026-11-01',
    deadline: '2026-12-31',
    scope: { kinds: ['Component'], tiers: ['tier-1'] },
    goal: { type: 'level', level: 'silver' },
    source: 'config',
    version: 0,
    phase: 'active',
    daysLeft: 35,
    progress: { total: 10, met: 3, exempt: 1, notMet: 6, percent: 40 },
    burnUp: [
      { day: '2026-11-01', met: 1, exempt: 0, total: 10, ideal: 1 },
      { day: '2026-11-15', met: 2, exempt: 1, total: 10, ideal: 3 },
      { day: '2026-11-26', met: 3, exempt: 1, total: 10, ideal: 5 },
    ],
    ...overrides,
  };
}

/** A waiver request of an item, pending unless overridden. */
export function waiverRequest(
  itemId: string,
  overrides: Partial<WaiverRequest> = {},
): WaiverRequest {
  return {
    id: `w-${itemId}`,
    entityRef: 'component:default/payments-api',
    phaseId: 'phase-4',
    checklistId: 'completion',
    itemId,
    justification: 'A batch job with no user traffic',
    expiresAt: '2027-02-28T23:59:59.000Z',
    requestedBy: 'user:default/alice',
    requestedAt: '2026-11-26T10:00:00.000Z',
    status: 'pending',
    ...overrides,
  };
}

/** A message of the signals API. */
type JsonObject = Parameters<Parameters<SignalApi['subscribe']>[1]>[0];

/** A signals API whose messages the test publishes. */
export function mockSignals(): {
  api: SignalApi;
  publish: (channel: string, message: JsonObject) => void;
  subscribers: (channel: string) => number;
} {
  const listeners = new Map<string, Set<(message: JsonObject) => void>>();
  return {
    api: {
      subscribe<T extends JsonObject = JsonObject>(
        channel: string,
        onMessage: (message: T) => void,
      ) {
        const set = listeners.get(channel) ?? new Set();
        const listener = onMessage as (message: JsonObject) => void;
        set.add(listener);
        listeners.set(channel, set);
        return { unsubscribe: () => set.delete(listener) };
      },
    },
    publish: (channel, message) =>
      listeners.get(channel)?.forEach(listener => listener(message)),
    subscribers: channel => listeners.get(channel)?.size ?? 0,
  };
}
