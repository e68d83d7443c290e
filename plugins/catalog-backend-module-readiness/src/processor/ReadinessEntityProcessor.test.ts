import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorResult,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { READINESS_ANNOTATIONS } from '@prodready/plugin-readiness-common';
import { ReadinessEntityProcessor } from './ReadinessEntityProcessor';

const NOW = new Date('2026-11-26T09:00:00Z');
const location = { type: 'file', target: '/catalog/catalog-info.yaml' };
/** Built up so that linters do not take it for a script URL to run. */
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

const DURATION =
  "a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";
const DURATION_OR_ZERO =
  "a number followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";
const AVAILABILITY =
  "a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'";
const PERCENTAGE =
  "a number from 0 to 100, optionally followed by '%', such as '0.1%'";
const DATE = "a date in the form YYYY-MM-DD, such as '2024-05-01'";
const CRON =
  "five fields (minute hour day-of-month month day-of-week), such as '0 */6 * * *'";
const REF =
  "an entity ref of the form [<kind>:][<namespace>/]<name>, such as 'sla-gold' or 'resource:default/sla-gold'";
const URL =
  "an absolute URL starting with http:// or https://, such as 'https://runbooks.example.com/payments'";
const TIER =
  "one of 'tier-1', 'tier-2', 'tier-3', 'tier-4' (tier-1 is the most critical)";
const NUMBER = "a number greater than 0, such as '1200'";
const PATH =
  "a path relative to the catalog-info.yaml file, such as './deploy/kubernetes', or an absolute http(s) URL";
const TARGETS =
  'an object with the SLA targets (availability, latencyP95, latencyP99, errorRate, peakRps), at least availability';

const SVC = 'component:default/payments-api';
const SLA = 'resource:default/sla-gold';
const DR = 'resource:default/dr-plan-gold';

function service(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
    spec: { type: 'service', owner: 'payments-team', lifecycle: 'production' },
  };
}

function resource(name: string, spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name },
    spec: { owner: 'group:default/platform-team', ...spec },
  };
}

const GOOD_TARGETS = {
  availability: '99.95',
  latencyP95: '150ms',
  latencyP99: '400ms',
  errorRate: '0.05%',
  peakRps: '1200',
};

function sla(targets: unknown, extra: Record<string, unknown> = {}): Entity {
  return resource('sla-gold', {
    type: 'service-level-agreement',
    targets,
    ...extra,
  });
}

const GOOD_DR_PLAN = {
  type: 'disaster-recovery-plan',
  rto: '1h',
  rpo: '15m',
  backupSchedule: '*/15 * * * *',
  backupRetention: '35d',
  drTestInterval: '90d',
  lastTested: '2026-10-01',
  planUrl: 'https://wiki.example.com/dr/gold',
  runbookUrl: 'https://wiki.example.com/runbooks/gold',
};

function drPlan(fields: Record<string, unknown>): Entity {
  return resource('dr-plan-gold', { ...GOOD_DR_PLAN, ...fields });
}

function createProcessor() {
  const logger = mockServices.logger.mock();
  let now = NOW;
  const processor = new ReadinessEntityProcessor({ logger, now: () => now });
  const setNow = (date: Date) => {
    now = date;
  };
  return { processor, logger, setNow };
}

async function run(
  entity: Entity,
  processor = createProcessor().processor,
): Promise<{
  result: Entity;
  errors: string[];
  relations: CatalogProcessorResult[];
  others: CatalogProcessorResult[];
}> {
  const emitted: CatalogProcessorResult[] = [];
  const emit = (item: CatalogProcessorResult) => emitted.push(item);
  const result = await processor.preProcessEntity(entity, location, emit);
  await processor.postProcessEntity(result, location, emit);
  const errors: string[] = [];
  const relations: CatalogProcessorResult[] = [];
  const others: CatalogProcessorResult[] = [];
  for (const item of emitted) {
    if (item.type === 'error') {
      errors.push(item.error.message);
      expect(item.error.name).toBe('InputError');
      expect(item.location).toBe(location);
    } else if (item.type === 'relation') {
      relations.push(item);
    } else {
      others.push(item);
    }
  }
  return { result, errors, relations, others };
}

describe('ReadinessEntityProcessor', () => {
  it('is named', () => {
    expect(createProcessor().processor.getProcessorName()).toBe(
      'ReadinessEntityProcessor',
    );
  });

  describe('with malformed entities', () => {
    const KNOWN = READINESS_ANNOTATIONS.map(s => s.name).join(', ');

    const BAD_CASES: Array<[string, Entity, string[]]> = [
      // Annotations: bad values, one case per parser failure.
      [
        'availability above 100',
        service({ 'prodready.dev/availability': '110%' }),
        [
          `${SVC}: prodready.dev/availability: '110%' is out of range; expected ${AVAILABILITY}`,
        ],
      ],
      [
        'availability in words',
        service({ 'prodready.dev/availability': 'high' }),
        [
          `${SVC}: prodready.dev/availability: 'high' is not a percentage; expected ${AVAILABILITY}`,
        ],
      ],
      [
        'availability of zero',
        service({ 'prodready.dev/availability': '0' }),
        [
          `${SVC}: prodready.dev/availability: '0' is out of range; expected ${AVAILABILITY}`,
        ],
      ],
      [
        'negative availability',
        service({ 'prodready.dev/availability': '-99.9' }),
        [
          `${SVC}: prodready.dev/availability: '-99.9' is not a percentage; expected ${AVAILABILITY}`,
        ],
      ],
      [
        'p95 latency in words',
        service({ 'prodready.dev/latency-p95': 'fast' }),
        [
          `${SVC}: prodready.dev/latency-p95: 'fast' is not a duration; expected ${DURATION}`,
        ],
      ],
      [
        'p95 latency of zero',
        service({ 'prodready.dev/latency-p95': '0ms' }),
        [
          `${SVC}: prodready.dev/latency-p95: '0ms' is zero; expected ${DURATION}`,
        ],
      ],
      [
        'p99 latency with a spelt-out unit',
        service({ 'prodready.dev/latency-p99': '1 second' }),
        [
          `${SVC}: prodready.dev/latency-p99: '1 second' is not a duration; expected ${DURATION}`,
        ],
      ],
      [
        'error rate above 100',
        service({ 'prodready.dev/error-rate': '101%' }),
        [
          `${SVC}: prodready.dev/error-rate: '101%' is out of range; expected ${PERCENTAGE}`,
        ],
      ],
      [
        'error rate in words',
        service({ 'prodready.dev/error-rate': 'low' }),
        [
          `${SVC}: prodready.dev/error-rate: 'low' is not a percentage; expected ${PERCENTAGE}`,
        ],
      ],
      [
        'peak rps of zero',
        service({ 'prodready.dev/peak-rps': '0' }),
        [
          `${SVC}: prodready.dev/peak-rps: '0' is not a positive number; expected ${NUMBER}`,
        ],
      ],
      [
        'peak rps with a thousands separator',
        service({ 'prodready.dev/peak-rps': '1,200' }),
        [
          `${SVC}: prodready.dev/peak-rps: '1,200' is not a positive number; expected ${NUMBER}`,
        ],
      ],
      [
        'tier-0',
        service({ 'prodready.dev/tier': 'tier-0' }),
        [
          `${SVC}: prodready.dev/tier: 'tier-0' is not a tier; expected ${TIER}`,
        ],
      ],
      [
        'a tier by another name',
        service({ 'prodready.dev/tier': 'gold' }),
        [`${SVC}: prodready.dev/tier: 'gold' is not a tier; expected ${TIER}`],
      ],
      [
        'RTO in words',
        service({ 'prodready.dev/rto': '4 hours' }),
        [
          `${SVC}: prodready.dev/rto: '4 hours' is not a duration; expected ${DURATION}`,
        ],
      ],
      [
        'RTO in months',
        service({ 'prodready.dev/rto': 'P1M' }),
        [
          `${SVC}: prodready.dev/rto: 'P1M' uses years or months, which have no fixed length; use days or weeks instead; expected a duration such as 'P365D'`,
        ],
      ],
      [
        'negative RPO',
        service({ 'prodready.dev/rpo': '-1h' }),
        [
          `${SVC}: prodready.dev/rpo: '-1h' is not a duration; expected ${DURATION_OR_ZERO}`,
        ],
      ],
      [
        'backup schedule in words',
        service({ 'prodready.dev/backup-schedule': 'every 6 hours' }),
        [
          `${SVC}: prodready.dev/backup-schedule: 'every 6 hours' is not a valid cron expression (it has 3 fields); expected ${CRON}`,
        ],
      ],
      [
        'backup schedule with an hour out of range',
        service({ 'prodready.dev/backup-schedule': '0 25 * * *' }),
        [
          `${SVC}: prodready.dev/backup-schedule: '0 25 * * *' is not a valid cron expression (hour field '25': 25 is out of range 0-23); expected ${CRON}`,
        ],
      ],
      [
        'backup schedule that never runs',
        service({ 'prodready.dev/backup-schedule': '0 0 30 2 *' }),
        [
          `${SVC}: prodready.dev/backup-schedule: '0 0 30 2 *' never runs; expected ${CRON}`,
        ],
      ],
      [
        'backup retention of zero',
        service({ 'prodready.dev/backup-retention': '0d' }),
        [
          `${SVC}: prodready.dev/backup-retention: '0d' is zero; expected ${DURATION}`,
        ],
      ],
      [
        'DR test on a day that does not exist',
        service({ 'prodready.dev/dr-last-tested': '2026-13-45' }),
        [
          `${SVC}: prodready.dev/dr-last-tested: '2026-13-45' is not a calendar date; expected ${DATE}`,
        ],
      ],
      [
        'DR test in the future',
        service({ 'prodready.dev/dr-last-tested': '2027-01-01' }),
        [
          `${SVC}: prodready.dev/dr-last-tested: '2027-01-01' is in the future; expected a date in the form YYYY-MM-DD that is not after today (2026-11-26)`,
        ],
      ],
      [
        'DR test date in another format',
        service({ 'prodready.dev/dr-last-tested': '26/11/2026' }),
        [
          `${SVC}: prodready.dev/dr-last-tested: '26/11/2026' is not a date; expected ${DATE}`,
        ],
      ],
      [
        'DR test interval in words',
        service({ 'prodready.dev/dr-test-interval': 'twice a year' }),
        [
          `${SVC}: prodready.dev/dr-test-interval: 'twice a year' is not a duration; expected ${DURATION}`,
        ],
      ],
      [
        'DR plan URL that is not http(s)',
        service({
          'prodready.dev/dr-plan-url': 'ftp://files.example.com/dr.pdf',
        }),
        [
          `${SVC}: prodready.dev/dr-plan-url: 'ftp://files.example.com/dr.pdf' is not an http(s) URL; expected ${URL}`,
        ],
      ],
      [
        'runbook URL that runs a script',
        service({ 'prodready.dev/runbook-url': SCRIPT_URL }),
        [
          `${SVC}: prodready.dev/runbook-url: '${SCRIPT_URL}' is not an http(s) URL; expected ${URL}`,
        ],
      ],
      [
        'runbook URL with credentials',
        service({
          'prodready.dev/runbook-url':
            'https://ops:secret@runbooks.example.com',
        }),
        [
          `${SVC}: prodready.dev/runbook-url: 'https://ops:secret@runbooks.example.com' contains credentials; expected ${URL}`,
        ],
      ],
      [
        'deployment path that is absolute',
        service({ 'prodready.dev/deployment-path': '/etc/kubernetes' }),
        [
          `${SVC}: prodready.dev/deployment-path: '/etc/kubernetes' is not a relative path or http(s) URL; expected ${PATH}`,
        ],
      ],
      [
        'an annotation value that is not a string',
        service({
          'prodready.dev/rto': 4 as unknown as string,
        }),
        [
          `${SVC}: prodready.dev/rto: 4 is not a duration; expected ${DURATION}`,
        ],
      ],
      [
        'a misspelt annotation',
        service({ 'prodready.dev/availabilty': '99.9' }),
        [
          `${SVC}: prodready.dev/availabilty is not a known readiness annotation; did you mean prodready.dev/availability?`,
        ],
      ],
      [
        'an unknown annotation',
        service({ 'prodready.dev/owner-slack': '#payments' }),
        [
          `${SVC}: prodready.dev/owner-slack is not a known readiness annotation; expected one of ${KNOWN}`,
        ],
      ],
      // Plan refs.
      [
        'an SLA ref that is not a ref',
        service({ 'prodready.dev/sla-ref': 'SLA Tier 1' }),
        [
          `${SVC}: prodready.dev/sla-ref: 'SLA Tier 1' is not an entity ref; expected ${REF}`,
        ],
      ],
      [
        'an SLA ref to a Group',
        service({ 'prodready.dev/sla-ref': 'group:default/platform-team' }),
        [
          `${SVC}: prodready.dev/sla-ref: 'group:default/platform-team' must refer to a Resource of spec.type service-level-agreement`,
        ],
      ],
      [
        'a DR plan ref to a Group',
        service({ 'prodready.dev/dr-plan-ref': 'group:default/platform-team' }),
        [
          `${SVC}: prodready.dev/dr-plan-ref: 'group:default/platform-team' must refer to a Resource of spec.type disaster-recovery-plan`,
        ],
      ],
      [
        'a DR plan ref to a Component',
        service({ 'prodready.dev/dr-plan-ref': 'Component:payments-api' }),
        [
          `${SVC}: prodready.dev/dr-plan-ref: 'Component:payments-api' must refer to a Resource of spec.type disaster-recovery-plan`,
        ],
      ],
      // RPO against the entity's own backup schedule.
      [
        'an RPO that daily backups cannot meet',
        service({
          'prodready.dev/rpo': '1h',
          'prodready.dev/backup-schedule': '0 2 * * *',
        }),
        [
          `${SVC}: prodready.dev/rpo is 1h but prodready.dev/backup-schedule '0 2 * * *' runs only every 24h; backups must run at least every 1h to meet the RPO`,
        ],
      ],
      [
        'an RPO that weekly backups cannot meet',
        service({
          'prodready.dev/rpo': '1d',
          'prodready.dev/backup-schedule': '0 3 * * 0',
        }),
        [
          `${SVC}: prodready.dev/rpo is 24h but prodready.dev/backup-schedule '0 3 * * 0' runs only every 7d; backups must run at least every 24h to meet the RPO`,
        ],
      ],
      [
        'an RPO that hourly backups cannot meet',
        service({
          'prodready.dev/rpo': '15m',
          'prodready.dev/backup-schedule': '0 * * * *',
        }),
        [
          `${SVC}: prodready.dev/rpo is 15m but prodready.dev/backup-schedule '0 * * * *' runs only every 1h; backups must run at least every 15m to meet the RPO`,
        ],
      ],
      [
        'an RPO that backups with a long night gap cannot meet',
        service({
          'prodready.dev/rpo': '6h',
          'prodready.dev/backup-schedule': '0 8-20 * * *',
        }),
        [
          `${SVC}: prodready.dev/rpo is 6h but prodready.dev/backup-schedule '0 8-20 * * *' runs only every 12h; backups must run at least every 6h to meet the RPO`,
        ],
      ],
      [
        'several bad annotations, reported in registry order',
        service({
          'prodready.dev/rto': '4 hours',
          'prodready.dev/availability': '110%',
          'prodready.dev/tier': 'tier-0',
        }),
        [
          `${SVC}: prodready.dev/tier: 'tier-0' is not a tier; expected ${TIER}`,
          `${SVC}: prodready.dev/availability: '110%' is out of range; expected ${AVAILABILITY}`,
          `${SVC}: prodready.dev/rto: '4 hours' is not a duration; expected ${DURATION}`,
        ],
      ],
      // SLA entities.
      [
        'an SLA whose availability is a word',
        sla({ ...GOOD_TARGETS, availability: 'high' }),
        [
          `${SLA}: spec.targets.availability: 'high' is not a percentage; expected ${AVAILABILITY}`,
        ],
      ],
      [
        'an SLA without targets',
        sla(undefined),
        [`${SLA}: spec.targets is required; expected ${TARGETS}`],
      ],
      [
        'an SLA whose targets are a string',
        sla('99.9'),
        [`${SLA}: spec.targets: '99.9' is not an object; expected ${TARGETS}`],
      ],
      [
        'an SLA whose targets are a list',
        sla(['99.9']),
        [
          `${SLA}: spec.targets: ["99.9"] is not an object; expected ${TARGETS}`,
        ],
      ],
      [
        'an SLA without availability',
        sla({ latencyP95: '200ms' }),
        [
          `${SLA}: spec.targets.availability is required; expected ${AVAILABILITY}`,
        ],
      ],
      [
        'an SLA whose p95 latency has no unit',
        sla({ ...GOOD_TARGETS, latencyP95: 200 }),
        [
          `${SLA}: spec.targets.latencyP95: '200' is not a duration; expected ${DURATION}`,
        ],
      ],
      [
        'an SLA whose p99 latency is zero',
        sla({ ...GOOD_TARGETS, latencyP99: '0s' }),
        [`${SLA}: spec.targets.latencyP99: '0s' is zero; expected ${DURATION}`],
      ],
      [
        'an SLA whose error rate is in words',
        sla({ ...GOOD_TARGETS, errorRate: '0.1 percent' }),
        [
          `${SLA}: spec.targets.errorRate: '0.1 percent' is not a percentage; expected ${PERCENTAGE}`,
        ],
      ],
      [
        'an SLA whose peak rps is negative',
        sla({ ...GOOD_TARGETS, peakRps: -5 }),
        [
          `${SLA}: spec.targets.peakRps: '-5' is not a positive number; expected ${NUMBER}`,
        ],
      ],
      [
        'an SLA with a misspelt target',
        sla({ ...GOOD_TARGETS, latency95: '200ms' }),
        [
          `${SLA}: spec.targets.latency95 is not a known SLA target; did you mean latencyP95?`,
        ],
      ],
      [
        'an SLA with an unknown target',
        sla({ ...GOOD_TARGETS, uptime: 'always' }),
        [
          `${SLA}: spec.targets.uptime is not a known SLA target; expected one of availability, latencyP95, latencyP99, errorRate, peakRps`,
        ],
      ],
      [
        'an SLA with a target outside spec.targets',
        sla(GOOD_TARGETS, { availability: '99.9' }),
        [
          `${SLA}: spec.availability is not a known field of a service-level-agreement; did you mean spec.targets.availability?`,
        ],
      ],
      [
        'an SLA with an unknown spec field',
        sla(GOOD_TARGETS, { penalties: 'credits' }),
        [
          `${SLA}: spec.penalties is not a known field of a service-level-agreement; expected spec.targets or one of the Resource fields spec.type, spec.owner, spec.system, spec.dependsOn, spec.dependencyOf`,
        ],
      ],
      // DR plan entities.
      [
        'a DR plan whose RTO is a word',
        drPlan({ rto: 'soon' }),
        [`${DR}: spec.rto: 'soon' is not a duration; expected ${DURATION}`],
      ],
      [
        'a DR plan without RTO and RPO',
        drPlan({ rto: undefined, rpo: null }),
        [
          `${DR}: spec.rto is required; expected ${DURATION}`,
          `${DR}: spec.rpo is required; expected ${DURATION_OR_ZERO}`,
        ],
      ],
      [
        'a DR plan whose backup schedule has three fields',
        drPlan({ backupSchedule: '* * *' }),
        [
          `${DR}: spec.backupSchedule: '* * *' is not a valid cron expression (it has 3 fields); expected ${CRON}`,
        ],
      ],
      [
        'a DR plan whose backup retention is in months',
        drPlan({ backupRetention: '1 month' }),
        [
          `${DR}: spec.backupRetention: '1 month' is not a duration; expected ${DURATION}`,
        ],
      ],
      [
        'a DR plan whose test interval is zero',
        drPlan({ drTestInterval: '0d' }),
        [`${DR}: spec.drTestInterval: '0d' is zero; expected ${DURATION}`],
      ],
      [
        'a DR plan tested in the future',
        drPlan({ lastTested: '2026-12-01' }),
        [
          `${DR}: spec.lastTested: '2026-12-01' is in the future; expected a date in the form YYYY-MM-DD that is not after today (2026-11-26)`,
        ],
      ],
      [
        'a DR plan whose plan URL is not a URL',
        drPlan({ planUrl: 'see the wiki' }),
        [
          `${DR}: spec.planUrl: 'see the wiki' is not an http(s) URL; expected ${URL}`,
        ],
      ],
      [
        'a DR plan with an annotation-style field name',
        drPlan({ 'backup-schedule': '0 * * * *' }),
        [
          `${DR}: spec.backup-schedule is not a known field of a disaster-recovery-plan; did you mean spec.backupSchedule?`,
        ],
      ],
      [
        'a DR plan with an unknown field',
        drPlan({ vendor: 'acme-backup' }),
        [
          `${DR}: spec.vendor is not a known field of a disaster-recovery-plan; expected one of spec.rto, spec.rpo, spec.backupSchedule, spec.backupRetention, spec.drTestInterval, spec.lastTested, spec.planUrl, spec.runbookUrl`,
        ],
      ],
      [
        'a DR plan whose backups cannot meet its RPO',
        drPlan({ rpo: '1h', backupSchedule: '0 2 * * *' }),
        [
          `${DR}: spec.rpo is 1h but spec.backupSchedule '0 2 * * *' runs only every 24h; backups must run at least every 1h to meet the RPO`,
        ],
      ],
      [
        'a DR plan with a bad annotation as well as a bad field',
        {
          ...drPlan({ rto: 'soon' }),
          metadata: {
            name: 'dr-plan-gold',
            annotations: { 'prodready.dev/tier': 'platinum' },
          },
        },
        [
          `${DR}: prodready.dev/tier: 'platinum' is not a tier; expected ${TIER}`,
          `${DR}: spec.rto: 'soon' is not a duration; expected ${DURATION}`,
        ],
      ],
    ];

    it('reports a bad Prometheus selector with the exact problem', async () => {
      const { errors } = await run(
        service({
          'prodready.dev/prometheus-selector': 'job=payments-api',
        }),
      );
      expect(errors).toEqual([
        `${SVC}: prodready.dev/prometheus-selector: 'job=payments-api' has an unquoted value for 'job' at character 5; expected comma-separated label matchers, optionally in braces, such as 'job="payments-api",namespace="payments"'`,
      ]);
    });

    it('reports a Prometheus endpoint that is not configured, when endpoints are', async () => {
      const entity = service({ 'prodready.dev/prometheus-endpoint': 'thanos' });
      const configured = new ReadinessEntityProcessor({
        logger: mockServices.logger.mock(),
        now: () => NOW,
        prometheusEndpoints: ['main', 'mimir'],
      });
      expect((await run(entity, configured)).errors).toEqual([
        `${SVC}: prodready.dev/prometheus-endpoint: 'thanos' is not a configured Prometheus endpoint; expected one of main, mimir (readiness.prometheus.endpoints)`,
      ]);
      // Without the list (no Prometheus configured), only the form is checked.
      expect((await run(entity)).errors).toEqual([]);
      expect(
        (
          await run(
            service({ 'prodready.dev/prometheus-endpoint': 'main' }),
            configured,
          )
        ).errors,
      ).toEqual([]);
    });

    it('covers at least 30 bad inputs', () => {
      expect(BAD_CASES.length).toBeGreaterThanOrEqual(30);
    });

    it.each(BAD_CASES)('reports %s', async (_name, entity, expected) => {
      const { result, errors, others } = await run(entity);
      expect(result).toBe(entity);
      expect(errors).toEqual(expected);
      expect(others).toEqual([]);
    });

    it('reports a failure of its own as a general error instead of throwing', async () => {
      const entity = service({});
      Object.defineProperty(entity.metadata, 'annotations', {
        get() {
          throw new Error('annotations are unreadable');
        },
      });
      const emitted: CatalogProcessorResult[] = [];
      const { processor } = createProcessor();
      await expect(
        processor.preProcessEntity(entity, location, r => emitted.push(r)),
      ).resolves.toBe(entity);
      await expect(
        processor.postProcessEntity(entity, location, r => emitted.push(r)),
      ).resolves.toBe(entity);
      expect(emitted).toEqual([
        processingResult.generalError(
          location,
          `${SVC}: the readiness data could not be validated: Error: annotations are unreadable`,
        ),
        processingResult.generalError(
          location,
          `${SVC}: the readiness relations could not be emitted: Error: annotations are unreadable`,
        ),
      ]);
    });

    it('copes with entities whose annotations or spec are not objects', async () => {
      const noAnnotations: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'payments-api' },
      };
      expect((await run(noAnnotations)).errors).toEqual([]);
      const slaWithoutSpec: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'sla-gold' },
        spec: 'service-level-agreement' as unknown as Entity['spec'],
      };
      // Not an SLA (no spec.type), so only the catalog's own validation applies.
      expect((await run(slaWithoutSpec)).errors).toEqual([]);
    });
  });

  describe('with good entities', () => {
    it.each<[string, Entity]>([
      ['a service without readiness annotations', service({})],
      [
        'a fully annotated service',
        service({
          'prodready.dev/tier': 'tier-1',
          'prodready.dev/availability': '99.95%',
          'prodready.dev/latency-p95': '150ms',
          'prodready.dev/latency-p99': '400ms',
          'prodready.dev/error-rate': '0.05%',
          'prodready.dev/peak-rps': '1200',
          'prodready.dev/rto': '1h',
          'prodready.dev/rpo': '15m',
          'prodready.dev/backup-schedule': '*/15 * * * *',
          'prodready.dev/backup-retention': '35d',
          'prodready.dev/dr-last-tested': '2026-10-14',
          'prodready.dev/dr-test-interval': '90d',
          'prodready.dev/dr-plan-url': 'https://wiki.example.com/dr/payments',
          'prodready.dev/runbook-url': 'https://wiki.example.com/runbooks/p',
          'prodready.dev/deployment-path': './deploy',
        }),
      ],
      [
        'daily backups and an RPO of exactly one day',
        service({
          'prodready.dev/rpo': '24h',
          'prodready.dev/backup-schedule': '0 3 * * *',
        }),
      ],
      [
        'an RPO of zero, met by replication rather than backups',
        service({
          'prodready.dev/rpo': '0s',
          'prodready.dev/backup-schedule': '0 3 * * *',
        }),
      ],
      [
        'a DR test that is overdue (a warning, not an error)',
        service({
          'prodready.dev/dr-last-tested': '2026-02-10',
          'prodready.dev/dr-test-interval': '180d',
        }),
      ],
      ['a complete SLA', sla(GOOD_TARGETS)],
      ['an SLA with availability only', sla({ availability: '99.9' })],
      [
        'an SLA written with unquoted YAML numbers',
        sla({ availability: 99.9, errorRate: 0.1, peakRps: 800 }),
      ],
      [
        'an SLA with the usual Resource fields',
        sla(GOOD_TARGETS, {
          system: 'payments',
          dependsOn: ['resource:default/payments-db'],
        }),
      ],
      ['a complete DR plan', drPlan({})],
      [
        'a DR plan with RTO and RPO only',
        resource('dr-plan-gold', {
          type: 'disaster-recovery-plan',
          rto: '4h',
          rpo: '0s',
        }),
      ],
      [
        'a Resource of another type with a targets field',
        resource('payments-db', { type: 'database', targets: 'anything' }),
      ],
    ])('accepts %s', async (_name, entity) => {
      const { result, errors, relations, others } = await run(entity);
      expect(result).toBe(entity);
      expect(errors).toEqual([]);
      expect(relations).toEqual([]);
      expect(others).toEqual([]);
    });
  });

  describe('relations', () => {
    const self = {
      kind: 'Component',
      namespace: 'default',
      name: 'payments-api',
    };

    it('links a service to its SLA and DR plan in both directions', async () => {
      const { errors, relations } = await run(
        service({
          'prodready.dev/sla-ref': 'resource:default/sla-tier-1',
          'prodready.dev/dr-plan-ref': 'resource:default/dr-plan-critical',
        }),
      );
      const slaRef = {
        kind: 'resource',
        namespace: 'default',
        name: 'sla-tier-1',
      };
      const drRef = {
        kind: 'resource',
        namespace: 'default',
        name: 'dr-plan-critical',
      };
      expect(errors).toEqual([]);
      expect(relations).toEqual([
        processingResult.relation({
          source: self,
          type: 'hasServiceLevelAgreement',
          target: slaRef,
        }),
        processingResult.relation({
          source: slaRef,
          type: 'serviceLevelAgreementOf',
          target: self,
        }),
        processingResult.relation({
          source: self,
          type: 'hasDisasterRecoveryPlan',
          target: drRef,
        }),
        processingResult.relation({
          source: drRef,
          type: 'disasterRecoveryPlanOf',
          target: self,
        }),
      ]);
    });

    it('uses the canonical ref: kind resource and namespace default by default', async () => {
      const { relations } = await run(
        service({ 'prodready.dev/sla-ref': 'sla-gold' }),
      );
      const target = {
        kind: 'resource',
        namespace: 'default',
        name: 'sla-gold',
      };
      expect(relations).toEqual([
        processingResult.relation({
          source: self,
          type: 'hasServiceLevelAgreement',
          target,
        }),
        processingResult.relation({
          source: target,
          type: 'serviceLevelAgreementOf',
          target: self,
        }),
      ]);
    });

    it('keeps the namespaces of both sides', async () => {
      const entity = service({ 'prodready.dev/dr-plan-ref': 'shared/dr-plan' });
      entity.metadata.namespace = 'payments';
      const { relations } = await run(entity);
      const source = {
        kind: 'Component',
        namespace: 'payments',
        name: 'payments-api',
      };
      const target = { kind: 'resource', namespace: 'shared', name: 'dr-plan' };
      expect(relations).toEqual([
        processingResult.relation({
          source,
          type: 'hasDisasterRecoveryPlan',
          target,
        }),
        processingResult.relation({
          source: target,
          type: 'disasterRecoveryPlanOf',
          target: source,
        }),
      ]);
    });

    it('emits none for refs that are malformed or name another kind', async () => {
      const { relations } = await run(
        service({
          'prodready.dev/sla-ref': 'SLA Tier 1',
          'prodready.dev/dr-plan-ref': 'group:default/platform-team',
        }),
      );
      expect(relations).toEqual([]);
    });
  });

  describe('DR tests', () => {
    const overdue = service({
      'prodready.dev/dr-last-tested': '2026-02-10',
      'prodready.dev/dr-test-interval': '180d',
    });

    it('logs an overdue DR test as a warning once a day', async () => {
      const { processor, logger, setNow } = createProcessor();
      expect((await run(overdue, processor)).errors).toEqual([]);
      await run(overdue, processor);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenLastCalledWith(
        `${SVC}: The last DR test was on 2026-02-10, 289 days ago; the interval is 180 days, so it was due on 2026-08-09.`,
        { entity: SVC },
      );
      setNow(new Date('2026-11-27T09:00:00Z'));
      await run(overdue, processor);
      expect(logger.warn).toHaveBeenCalledTimes(2);
      expect(logger.warn).toHaveBeenLastCalledWith(
        `${SVC}: The last DR test was on 2026-02-10, 290 days ago; the interval is 180 days, so it was due on 2026-08-09.`,
        { entity: SVC },
      );
    });

    it('stops warning once the DR test is done', async () => {
      const { processor, logger } = createProcessor();
      await run(overdue, processor);
      await run(
        service({
          'prodready.dev/dr-last-tested': '2026-11-20',
          'prodready.dev/dr-test-interval': '180d',
        }),
        processor,
      );
      await run(overdue, processor);
      expect(logger.warn).toHaveBeenCalledTimes(2);
    });

    it('does not warn on the due date itself', async () => {
      const { processor, logger } = createProcessor();
      await run(
        service({
          'prodready.dev/dr-last-tested': '2026-08-28',
          'prodready.dev/dr-test-interval': '90d',
        }),
        processor,
      );
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('warns about a DR plan entity whose own test is overdue', async () => {
      const { processor, logger } = createProcessor();
      const { errors } = await run(
        drPlan({ lastTested: '2026-01-05', drTestInterval: '90d' }),
        processor,
      );
      expect(errors).toEqual([]);
      expect(logger.warn).toHaveBeenCalledWith(
        `${DR}: The last DR test was on 2026-01-05, 325 days ago; the interval is 90 days, so it was due on 2026-04-05.`,
        { entity: DR },
      );
    });
  });
});
