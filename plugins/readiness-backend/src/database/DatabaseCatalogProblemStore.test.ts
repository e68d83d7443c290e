import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DatabaseCatalogProblemStore } from './DatabaseCatalogProblemStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  return {
    knex,
    store: await DatabaseCatalogProblemStore.create({ database }),
  };
}

const PAYOUTS = 'component:default/payouts-worker';
const LEDGER = 'component:default/ledger-api';
const BILLING = 'component:finance/billing';

const at = (minute: number) =>
  new Date(Date.UTC(2026, 10, 26, 12, minute, 0, 0));

describe.each(databases.eachSupportedId())(
  'DatabaseCatalogProblemStore (%s)',
  databaseId => {
    it('records a problem and lists it', async () => {
      const { store } = await createStore(databaseId);

      await store.record({
        entityRef: PAYOUTS,
        location: 'url:https://git.example.com/payouts/catalog-info.yaml',
        messages: ["prodready.dev/rto: '4 hours' is not a duration"],
        seenAt: at(1),
      });

      await expect(store.list({ seenSince: at(0) })).resolves.toEqual([
        {
          entityRef: PAYOUTS,
          location: 'url:https://git.example.com/payouts/catalog-info.yaml',
          messages: ["prodready.dev/rto: '4 hours' is not a duration"],
          firstSeenAt: at(1),
          lastSeenAt: at(1),
        },
      ]);
    });

    it('leaves out the location when there is none', async () => {
      const { store } = await createStore(databaseId);

      await store.record({
        entityRef: PAYOUTS,
        messages: ['bad'],
        seenAt: at(1),
      });

      const [problem] = await store.list({ seenSince: at(0) });
      expect(problem).not.toHaveProperty('location');
      expect(problem.messages).toEqual(['bad']);
    });

    it('keeps the first sighting and replaces the rest on upsert', async () => {
      const { store, knex } = await createStore(databaseId);

      await store.record({
        entityRef: PAYOUTS,
        location: 'url:https://git.example.com/old.yaml',
        messages: ['first error', 'second error'],
        seenAt: at(1),
      });
      await store.record({
        entityRef: PAYOUTS,
        location: 'url:https://git.example.com/new.yaml',
        messages: ['second error'],
        seenAt: at(4),
      });

      await expect(store.list({ seenSince: at(0) })).resolves.toEqual([
        {
          entityRef: PAYOUTS,
          location: 'url:https://git.example.com/new.yaml',
          messages: ['second error'],
          firstSeenAt: at(1),
          lastSeenAt: at(4),
        },
      ]);
      const [{ n }] = await knex('readiness_catalog_problems').count({
        n: '*',
      });
      expect(Number(n)).toBe(1);

      // A later report without a location clears it: it is the latest word.
      await store.record({
        entityRef: PAYOUTS,
        messages: ['x'],
        seenAt: at(7),
      });
      const [problem] = await store.list({ seenSince: at(0) });
      expect(problem).not.toHaveProperty('location');
      expect(problem.firstSeenAt).toEqual(at(1));
    });

    it('keeps messages with quotes, newlines and non-ASCII text intact', async () => {
      const { store } = await createStore(databaseId);
      const messages = [
        'Policy check failed; caused by TypeError: "x" is \'y\'',
        'line one\nline two',
        'prodready.dev/tier: « tier-0 » ist ungültig ✗',
      ];

      await store.record({ entityRef: PAYOUTS, messages, seenAt: at(1) });

      const [problem] = await store.list({ seenSince: at(0) });
      expect(problem.messages).toEqual(messages);
    });

    it('lists only what was seen since the given time, newest first', async () => {
      const { store } = await createStore(databaseId);
      await store.record({ entityRef: LEDGER, messages: ['l'], seenAt: at(2) });
      await store.record({
        entityRef: PAYOUTS,
        messages: ['p'],
        seenAt: at(5),
      });
      await store.record({
        entityRef: BILLING,
        messages: ['b'],
        seenAt: at(3),
      });

      const all = await store.list({ seenSince: at(0) });
      expect(all.map(problem => problem.entityRef)).toEqual([
        PAYOUTS,
        BILLING,
        LEDGER,
      ]);

      // The boundary is inclusive.
      const recent = await store.list({ seenSince: at(3) });
      expect(recent.map(problem => problem.entityRef)).toEqual([
        PAYOUTS,
        BILLING,
      ]);

      await expect(store.list({ seenSince: at(6) })).resolves.toEqual([]);
    });

    it('orders problems seen at the same time by entity ref', async () => {
      const { store } = await createStore(databaseId);
      await store.record({
        entityRef: PAYOUTS,
        messages: ['p'],
        seenAt: at(2),
      });
      await store.record({ entityRef: LEDGER, messages: ['l'], seenAt: at(2) });

      const problems = await store.list({ seenSince: at(0) });
      expect(problems.map(problem => problem.entityRef)).toEqual([
        LEDGER,
        PAYOUTS,
      ]);
    });

    it('filters by entity ref, ignoring case', async () => {
      const { store } = await createStore(databaseId);
      await store.record({ entityRef: LEDGER, messages: ['l'], seenAt: at(2) });
      await store.record({
        entityRef: PAYOUTS,
        messages: ['p'],
        seenAt: at(5),
      });

      const one = await store.list({ entityRef: LEDGER, seenSince: at(0) });
      expect(one.map(problem => problem.entityRef)).toEqual([LEDGER]);

      const upper = await store.list({
        entityRef: 'Component:Default/Ledger-API',
        seenSince: at(0),
      });
      expect(upper.map(problem => problem.entityRef)).toEqual([LEDGER]);

      // The time window applies to the filtered entity too.
      await expect(
        store.list({ entityRef: LEDGER, seenSince: at(3) }),
      ).resolves.toEqual([]);
      await expect(
        store.list({ entityRef: BILLING, seenSince: at(0) }),
      ).resolves.toEqual([]);
    });

    it('prunes what was last seen before the given time', async () => {
      const { store } = await createStore(databaseId);
      await store.record({ entityRef: LEDGER, messages: ['l'], seenAt: at(2) });
      await store.record({
        entityRef: BILLING,
        messages: ['b'],
        seenAt: at(3),
      });
      await store.record({
        entityRef: PAYOUTS,
        messages: ['p'],
        seenAt: at(5),
      });

      // Strictly before: BILLING, last seen exactly at the cut-off, stays.
      await expect(store.prune(at(3))).resolves.toBe(1);
      const left = await store.list({ seenSince: at(0) });
      expect(left.map(problem => problem.entityRef)).toEqual([
        PAYOUTS,
        BILLING,
      ]);

      await expect(store.prune(at(3))).resolves.toBe(0);
      await expect(store.prune(at(10))).resolves.toBe(2);
      await expect(store.list({ seenSince: at(0) })).resolves.toEqual([]);
    });

    it('does not prune a problem that was seen again', async () => {
      const { store } = await createStore(databaseId);
      await store.record({
        entityRef: PAYOUTS,
        messages: ['p'],
        seenAt: at(1),
      });
      await store.record({
        entityRef: PAYOUTS,
        messages: ['p'],
        seenAt: at(9),
      });

      await expect(store.prune(at(5))).resolves.toBe(0);
      const [problem] = await store.list({ seenSince: at(5) });
      expect(problem).toMatchObject({ firstSeenAt: at(1), lastSeenAt: at(9) });
    });
  },
);
