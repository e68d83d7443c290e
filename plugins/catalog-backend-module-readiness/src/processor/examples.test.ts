import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ReadinessEntityProcessor } from './ReadinessEntityProcessor';

/** The example catalog of the repository (see examples/README.md). */
const EXAMPLES = resolvePath(__dirname, '../../../../examples');
/** The examples' dates are relative to this day. */
const NOW = new Date('2026-11-26T09:00:00Z');

const DURATION =
  "a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";
const AVAILABILITY =
  "a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'";

function load(file: string): Entity[] {
  const text = readFileSync(resolvePath(EXAMPLES, file), 'utf8');
  return parseAllDocuments(text).map(document => document.toJS() as Entity);
}

async function processAll() {
  const logger = mockServices.logger.mock();
  const processor = new ReadinessEntityProcessor({ logger, now: () => NOW });
  const location = { type: 'file', target: resolvePath(EXAMPLES, 'all.yaml') };
  const entities = [
    ...load('org.yaml'),
    ...load('entities.yaml'),
    ...load('service-levels.yaml'),
  ];
  const errors = new Map<string, string[]>();
  const relations: string[] = [];
  for (const entity of entities) {
    const emitted: CatalogProcessorResult[] = [];
    const emit = (result: CatalogProcessorResult) => emitted.push(result);
    const processed = await processor.preProcessEntity(entity, location, emit);
    await processor.postProcessEntity(processed, location, emit);
    for (const result of emitted) {
      if (result.type === 'error') {
        const ref = stringifyEntityRef(entity);
        errors.set(ref, [...(errors.get(ref) ?? []), result.error.message]);
      } else if (result.type === 'relation') {
        const { source, type, target } = result.relation;
        relations.push(
          `${stringifyEntityRef(source)} ${type} ${stringifyEntityRef(target)}`,
        );
      }
    }
  }
  return { entities, errors, relations, logger };
}

describe('the example catalog', () => {
  it('reports every broken case of examples/README.md, and nothing else', async () => {
    const { entities, errors } = await processAll();
    expect(entities.length).toBeGreaterThan(40);
    expect(Object.fromEntries(errors)).toEqual({
      'component:default/payouts-worker': [
        `component:default/payouts-worker: prodready.dev/rto: '4 hours' is not a duration; expected ${DURATION}`,
        "component:default/payouts-worker: prodready.dev/backup-schedule: 'every 6 hours' is not a valid cron expression (it has 3 fields); expected five fields (minute hour day-of-month month day-of-week), such as '0 */6 * * *'",
      ],
      'component:default/product-search': [
        `component:default/product-search: prodready.dev/availability: '110%' is out of range; expected ${AVAILABILITY}`,
      ],
      'component:default/inventory-service': [
        "component:default/inventory-service: prodready.dev/dr-last-tested: '2026-13-45' is not a calendar date; expected a date in the form YYYY-MM-DD, such as '2024-05-01'",
        "component:default/inventory-service: prodready.dev/runbook-url: 'ftp://files.example.com/runbooks/inventory-service.pdf' is not an http(s) URL; expected an absolute URL starting with http:// or https://, such as 'https://runbooks.example.com/payments'",
      ],
      'component:default/notifications-service': [
        "component:default/notifications-service: prodready.dev/tier: 'tier-0' is not a tier; expected one of 'tier-1', 'tier-2', 'tier-3', 'tier-4' (tier-1 is the most critical)",
        "component:default/notifications-service: prodready.dev/rpo is 1h but prodready.dev/backup-schedule '0 2 * * *' runs only every 24h; backups must run at least every 1h to meet the RPO",
      ],
      'component:default/mfa-service': [
        "component:default/mfa-service: prodready.dev/sla-ref: 'SLA Tier 1' is not an entity ref; expected an entity ref of the form [<kind>:][<namespace>/]<name>, such as 'sla-gold' or 'resource:default/sla-gold'",
        "component:default/mfa-service: prodready.dev/dr-plan-ref: 'group:default/platform-team' must refer to a Resource of spec.type disaster-recovery-plan",
      ],
      'resource:default/sla-legacy': [
        `resource:default/sla-legacy: spec.targets.availability: 'high' is not a percentage; expected ${AVAILABILITY}`,
      ],
      'resource:default/dr-plan-legacy': [
        `resource:default/dr-plan-legacy: spec.rto: 'soon' is not a duration; expected ${DURATION}`,
      ],
    });
  });

  it('links services to their shared plans in both directions', async () => {
    const { relations } = await processAll();
    expect(relations).toEqual(
      expect.arrayContaining([
        'component:default/payments-api hasServiceLevelAgreement resource:default/sla-tier-1',
        'resource:default/sla-tier-1 serviceLevelAgreementOf component:default/payments-api',
        'component:default/payments-api hasDisasterRecoveryPlan resource:default/dr-plan-critical',
        'resource:default/dr-plan-critical disasterRecoveryPlanOf component:default/payments-api',
        // The plan is missing from the catalog; the relation is still
        // emitted, and resolveServiceLevels reports the missing plan.
        'component:default/order-service hasDisasterRecoveryPlan resource:default/dr-plan-gold',
        'component:default/audit-log-service hasServiceLevelAgreement resource:default/sla-legacy',
      ]),
    );
    // 15 entities (14 services and storefront-web) reference an SLA and 9 a
    // DR plan (mfa-service's refs are broken), two relations each.
    expect(relations).toHaveLength(2 * (15 + 9));
    expect(relations.some(r => r.includes('mfa-service'))).toBe(false);
  });

  it('warns about the overdue DR test of refund-service, and only that one', async () => {
    const { logger } = await processAll();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'component:default/refund-service: The last DR test was on 2026-02-10, 289 days ago; the interval is 180 days, so it was due on 2026-08-09.',
      { entity: 'component:default/refund-service' },
    );
  });
});
