import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { CATALOG_ERRORS_TOPIC as CATALOG_BACKEND_ERRORS_TOPIC } from '@backstage/plugin-catalog-backend';
import { EventsService } from '@backstage/plugin-events-node';
import { CatalogProblemStore, DatabaseCatalogProblemStore } from '../database';
import {
  CATALOG_ERRORS_TOPIC,
  CATALOG_PROBLEMS_SUBSCRIBER_ID,
  createCatalogProblemsService,
  readCatalogErrorsPayload,
  readCatalogProblemsRetention,
} from './catalogProblems';

const ENTITY = 'component:default/payouts-worker';
const LOCATION = 'url:https://git.example.com/payouts/catalog-info.yaml';
const RTO_ERROR =
  "prodready.dev/rto: '4 hours' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";
const T0 = new Date('2026-11-26T12:00:00.000Z');
const MINUTE = 60_000;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function createStore() {
  const knex = await databases.init('SQLITE_3');
  return DatabaseCatalogProblemStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
}

async function setup(
  options: {
    config?: object;
    store?: CatalogProblemStore;
    events?: EventsService;
  } = {},
) {
  let clock = T0;
  const events = options.events ?? mockServices.events();
  const logger = mockServices.logger.mock();
  const store = options.store ?? (await createStore());
  const service = await createCatalogProblemsService({
    store,
    events,
    logger,
    config: mockServices.rootConfig({ data: options.config ?? {} }),
    now: () => clock,
  });
  const publish = (eventPayload: unknown) =>
    events.publish({ topic: CATALOG_ERRORS_TOPIC, eventPayload });
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  return { service, events, logger, store, publish, advance };
}

describe('readCatalogErrorsPayload', () => {
  it('reads the payload the catalog publishes', () => {
    expect(
      readCatalogErrorsPayload({
        entity: ENTITY,
        location: LOCATION,
        errors: [new Error(RTO_ERROR), new TypeError('second')],
      }),
    ).toEqual({
      report: {
        entityRef: ENTITY,
        location: LOCATION,
        messages: [RTO_ERROR, 'second'],
      },
    });
  });

  it('reads errors serialized to JSON, strings and other values', () => {
    expect(
      readCatalogErrorsPayload({
        entity: ENTITY,
        errors: [
          { name: 'InputError', message: 'from JSON' },
          'a plain string',
          42,
          { code: 'E_WEIRD' },
          { name: 'Error', message: '' },
          null,
          undefined,
        ],
      }),
    ).toEqual({
      report: {
        entityRef: ENTITY,
        messages: [
          'from JSON',
          'a plain string',
          '42',
          '{"code":"E_WEIRD"}',
          'Error',
        ],
      },
    });
  });

  it('takes a single error that is not in a list', () => {
    expect(
      readCatalogErrorsPayload({ entity: ENTITY, errors: new Error('one') }),
    ).toEqual({ report: { entityRef: ENTITY, messages: ['one'] } });
  });

  it('drops repeated messages and an empty location', () => {
    expect(
      readCatalogErrorsPayload({
        entity: ENTITY,
        location: '',
        errors: [new Error('same'), new Error('same')],
      }),
    ).toEqual({ report: { entityRef: ENTITY, messages: ['same'] } });
  });

  it('does not throw on values it cannot describe as JSON', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const result = readCatalogErrorsPayload({
      entity: ENTITY,
      errors: [circular, BigInt(7), Symbol('s')],
    });
    expect(result).toEqual({
      report: {
        entityRef: ENTITY,
        messages: ['[object Object]', '7', 'Symbol(s)'],
      },
    });
  });

  it.each([
    ['nothing', undefined, 'the payload is not an object'],
    ['a string', 'component:default/x', 'the payload is not an object'],
    ['a list', [ENTITY], 'the payload is not an object'],
    [
      'no entity',
      { errors: [new Error('x')] },
      'the payload has no entity ref',
    ],
    [
      'a blank entity',
      { entity: ' ', errors: [new Error('x')] },
      'the payload has no entity ref',
    ],
    [
      'an entity that is not a string',
      { entity: { kind: 'Component' }, errors: [new Error('x')] },
      'the payload has no entity ref',
    ],
    ['no errors', { entity: ENTITY }, 'the payload has no errors'],
    [
      'an empty list',
      { entity: ENTITY, errors: [] },
      'the payload has no errors',
    ],
  ])('explains why it ignores %s', (_case, payload, reason) => {
    expect(readCatalogErrorsPayload(payload)).toEqual({ reason });
  });
});

describe('readCatalogProblemsRetention', () => {
  const read = (data: object) =>
    readCatalogProblemsRetention(mockServices.rootConfig({ data }));

  it('defaults to ten minutes', () => {
    expect(read({})).toBe(10 * MINUTE);
  });

  it('reads a duration object or string', () => {
    expect(
      read({ readiness: { catalogProblems: { retention: { minutes: 30 } } } }),
    ).toBe(30 * MINUTE);
    expect(
      read({ readiness: { catalogProblems: { retention: { hours: 1 } } } }),
    ).toBe(60 * MINUTE);
    expect(read({ readiness: { catalogProblems: { retention: '15m' } } })).toBe(
      15 * MINUTE,
    );
    expect(
      read({ readiness: { catalogProblems: { retention: 'PT20M' } } }),
    ).toBe(20 * MINUTE);
  });

  it('rejects a retention of zero', () => {
    expect(() =>
      read({ readiness: { catalogProblems: { retention: { minutes: 0 } } } }),
    ).toThrow(
      'Invalid config at readiness.catalogProblems.retention: the retention must be longer than zero',
    );
  });

  it('rejects what is not a duration', () => {
    expect(() =>
      read({ readiness: { catalogProblems: { retention: { moons: 3 } } } }),
    ).toThrow(/readiness\.catalogProblems\.retention/);
  });
});

describe('createCatalogProblemsService', () => {
  it('listens on the topic the catalog publishes errors on', async () => {
    expect(CATALOG_ERRORS_TOPIC).toBe(CATALOG_BACKEND_ERRORS_TOPIC);

    const events = mockServices.events.mock();
    await setup({ events });

    expect(events.subscribe).toHaveBeenCalledWith({
      id: CATALOG_PROBLEMS_SUBSCRIBER_ID,
      topics: [CATALOG_ERRORS_TOPIC],
      onEvent: expect.any(Function),
    });
    expect(CATALOG_PROBLEMS_SUBSCRIBER_ID).toBe('readiness-catalog-problems');
  });

  it('records the errors of an entity and lists them', async () => {
    const { service, publish, advance } = await setup();

    await publish({
      entity: ENTITY,
      location: LOCATION,
      errors: [new Error(RTO_ERROR)],
    });
    advance(3 * MINUTE);
    await publish({
      entity: ENTITY,
      location: LOCATION,
      errors: [new Error(RTO_ERROR)],
    });

    await expect(service.listProblems()).resolves.toEqual([
      {
        entityRef: ENTITY,
        location: LOCATION,
        messages: [RTO_ERROR],
        firstSeenAt: '2026-11-26T12:00:00.000Z',
        lastSeenAt: '2026-11-26T12:03:00.000Z',
      },
    ]);
  });

  it('lists the problems of one entity', async () => {
    const { service, publish } = await setup();
    await publish({ entity: ENTITY, errors: [new Error('a')] });
    await publish({
      entity: 'component:default/ledger-api',
      errors: [new Error('b')],
    });

    const problems = await service.listProblems({ entityRef: ENTITY });
    expect(problems.map(problem => problem.entityRef)).toEqual([ENTITY]);
  });

  it('shows a problem only while the catalog keeps reporting it', async () => {
    const { service, publish, advance } = await setup();
    await publish({ entity: ENTITY, errors: [new Error('broken')] });

    advance(10 * MINUTE);
    await expect(service.listProblems()).resolves.toHaveLength(1);

    advance(1);
    await expect(service.listProblems()).resolves.toEqual([]);
  });

  it('uses the configured retention', async () => {
    const { service, publish, advance } = await setup({
      config: { readiness: { catalogProblems: { retention: { hours: 1 } } } },
    });
    await publish({ entity: ENTITY, errors: [new Error('broken')] });

    advance(59 * MINUTE);
    await expect(service.listProblems()).resolves.toHaveLength(1);
    advance(2 * MINUTE);
    await expect(service.listProblems()).resolves.toEqual([]);
  });

  it('warns about a retention shorter than a catalog processing cycle', async () => {
    const { logger } = await setup({
      config: { readiness: { catalogProblems: { retention: '1m' } } },
    });

    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('shorter than the catalog'),
      { retentionMs: MINUTE },
    );
  });

  it('prunes expired rows when recording, at most once a minute', async () => {
    const store = await createStore();
    const prune = jest.spyOn(store, 'prune');
    const { publish, advance } = await setup({ store });

    await publish({ entity: ENTITY, errors: [new Error('a')] });
    expect(prune).toHaveBeenCalledTimes(1);
    expect(prune).toHaveBeenLastCalledWith(
      new Date(T0.getTime() - 10 * MINUTE),
    );

    advance(30_000);
    await publish({ entity: ENTITY, errors: [new Error('a')] });
    expect(prune).toHaveBeenCalledTimes(1);

    advance(30_000);
    await publish({ entity: ENTITY, errors: [new Error('a')] });
    expect(prune).toHaveBeenCalledTimes(2);
    expect(prune).toHaveBeenLastCalledWith(new Date(T0.getTime() - 9 * MINUTE));
  });

  it('deletes what the catalog stopped reporting', async () => {
    const store = await createStore();
    const { publish, advance } = await setup({ store });
    await publish({
      entity: 'component:default/fixed',
      errors: ['was broken'],
    });

    advance(11 * MINUTE);
    await publish({ entity: ENTITY, errors: ['still broken'] });

    const rows = await store.list({ seenSince: new Date(0) });
    expect(rows.map(row => row.entityRef)).toEqual([ENTITY]);
  });

  it('ignores unusable events without throwing, and says so at debug level', async () => {
    const { service, publish, logger } = await setup();

    await expect(publish(undefined)).resolves.toBeUndefined();
    await expect(publish({ entity: 42, errors: [] })).resolves.toBeUndefined();
    await expect(publish({ entity: ENTITY })).resolves.toBeUndefined();

    await expect(service.listProblems()).resolves.toEqual([]);
    expect(logger.debug).toHaveBeenCalledWith(
      'Ignored a catalog errors event: the payload is not an object',
      { topic: CATALOG_ERRORS_TOPIC },
    );
    expect(logger.debug).toHaveBeenCalledWith(
      'Ignored a catalog errors event: the payload has no entity ref',
      { topic: CATALOG_ERRORS_TOPIC },
    );
    expect(logger.debug).toHaveBeenCalledWith(
      'Ignored a catalog errors event: the payload has no errors',
      { topic: CATALOG_ERRORS_TOPIC },
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs a storage failure instead of throwing it at the events bus', async () => {
    const store: jest.Mocked<CatalogProblemStore> = {
      record: jest.fn().mockRejectedValue(new Error('database is gone')),
      list: jest.fn(),
      prune: jest.fn(),
    };
    const { publish, logger } = await setup({ store });

    await expect(
      publish({ entity: ENTITY, errors: [new Error('x')] }),
    ).resolves.toBeUndefined();

    expect(logger.warn).toHaveBeenCalledWith(
      'Failed to record a catalog validation problem',
      { entity: ENTITY, error: 'database is gone' },
    );
  });
});
