import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import type { EntityEvaluation } from '../database';
import type { PreviousEvaluation } from '../service/engine/types';
import { readNotificationSettings } from './config';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { ReadinessNotifier } from './ReadinessNotifier';
import { ConfigReader } from '@backstage/config';

/*
 * The readiness notifier with the real notifications backend
 * (@backstage/plugin-notifications-backend) in one test backend: what the
 * notifier sends to a team arrives in the notifications of its members, as
 * the notifications REST API returns them to the user.
 */

jest.setTimeout(60_000);

const PAYMENTS = 'component:default/payments-api';
const TEAM = 'group:default/team-payments';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: ALICE }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: ['team-payments'] },
    relations: [{ type: 'memberOf', targetRef: TEAM }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default' },
    spec: {},
  },
];

/** A regression of payments-api: hpa passed, now fails; Silver to Bronze. */
const evaluation: EntityEvaluation = {
  entityRef: PAYMENTS,
  results: [{ checkId: 'hpa', status: 'fail', message: 'No HPA found' }],
  scores: {
    kind: 'Component',
    type: 'service',
    lifecycle: 'production',
    owner: TEAM,
    system: null,
    tier: 'tier-1',
    level: 'bronze',
    levelRank: 1,
    score: 50,
    areaScores: [],
    passed: 0,
    failed: 1,
    factsHash: 'h',
    stale: false,
  },
  evaluatedAt: new Date('2026-12-07T10:00:00Z'),
};
const previous = new Map<string, PreviousEvaluation>([
  [
    PAYMENTS,
    {
      level: 'silver',
      levelRank: 2,
      statuses: new Map([['hpa', 'pass']]) as PreviousEvaluation['statuses'],
    },
  ],
]);

/** A plugin with id `readiness` that runs the notifier with the real services. */
function readinessNotifierPlugin(holder: {
  notifier?: ReadinessNotifier;
  logger?: ReturnType<typeof mockServices.logger.mock>;
}) {
  return createBackendPlugin({
    pluginId: 'readiness',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          notifications: notificationService,
          signals: signalsServiceRef,
          events: eventsServiceRef,
        },
        async init({ database, notifications, signals, events }) {
          holder.logger = mockServices.logger.mock();
          holder.notifier = new ReadinessNotifier({
            settings: readNotificationSettings(new ConfigReader({})),
            store: await DatabaseNotificationStore.create({ database }),
            notifications,
            signals,
            events,
            logger: holder.logger,
            titles: {
              check: id => (id === 'hpa' ? 'HPA configured' : id),
              level: id => (id === null ? 'no level' : id),
            },
            listExpiringItems: async () => ({ items: [] }),
            readinessStore: {
              listScores: async () => ({ items: [], totalCount: 0 }),
            },
            now: () => new Date('2026-12-07T10:00:00Z'),
          });
        },
      });
    },
  });
}

describe('readiness notifications through @backstage/plugin-notifications-backend', () => {
  it('delivers a regression to the members of the owning team', async () => {
    const holder: Parameters<typeof readinessNotifierPlugin>[0] = {};
    const { server } = await startTestBackend({
      features: [
        notificationsPlugin,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
        readinessNotifierPlugin(holder),
        catalogServiceMock.factory({ entities }),
      ],
    });

    await holder.notifier!.onEvaluated([evaluation], { previous });
    // A second replica's (or a second pass's) sighting sends nothing more.
    await holder.notifier!.onEvaluated([evaluation], { previous });
    expect(holder.logger!.warn).not.toHaveBeenCalled();

    const response = await request(server)
      .get('/api/notifications/notifications')
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(response.status).toBe(200);
    expect(response.body.totalCount).toBe(2);
    const payloads = response.body.notifications.map(
      (n: { origin: string; user: string; payload: object }) => ({
        origin: n.origin,
        user: n.user,
        ...n.payload,
      }),
    );
    expect(payloads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          origin: 'plugin:readiness',
          user: ALICE,
          title: 'payments-api: "HPA configured" now fails',
          description:
            'The check "HPA configured" passed and now fails: No HPA found',
          link: '/catalog/default/component/payments-api/readiness?check=hpa',
          severity: 'high',
          topic: 'readiness-regression',
          scope: `readiness:check:${PAYMENTS}:hpa`,
        }),
        expect.objectContaining({
          title: 'payments-api dropped from silver to bronze',
          topic: 'readiness-regression',
        }),
      ]),
    );

    // Not a member: nothing.
    const other = await request(server)
      .get('/api/notifications/notifications')
      .set('Authorization', mockCredentials.user.header(BOB));
    expect(other.body.totalCount).toBe(0);
  });

  it('keeps working in a backend without the notifications plugin, logging once', async () => {
    const holder: Parameters<typeof readinessNotifierPlugin>[0] = {};
    await startTestBackend({
      features: [
        readinessNotifierPlugin(holder),
        catalogServiceMock.factory({ entities }),
      ],
    });

    await expect(
      holder.notifier!.onEvaluated([evaluation], { previous }),
    ).resolves.toBeUndefined();
    expect(holder.logger!.warn).toHaveBeenCalledTimes(1);
    expect(holder.logger!.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not send readiness notifications \(is @backstage\/plugin-notifications-backend installed\?\).*Failed to send notifications/,
      ),
    );
  });
});
