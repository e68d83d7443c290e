import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { readinessPlugin } from '../../plugin';
import {
  captureReadinessScheduler,
  EXAMPLE_ENTITIES,
} from '../../__testUtils__/testBackend';

jest.setTimeout(120_000);

/** A policy that lets everyone read and attest nothing. */
const readOnlyPermissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests) {
      return requests.map(r => ({
        result:
          r.permission.name === 'readiness.scorecard.read'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
    async authorizeConditional(requests) {
      return requests.map(r => ({
        result:
          r.permission.name === 'readiness.scorecard.read'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })) as any;
    },
  }),
});

/** The JSON an action answered, from an MCP tool result. */
function outputOf(result: Awaited<ReturnType<Client['callTool']>>) {
  const content = result.content as Array<{ type: string; text: string }>;
  expect(result.isError ?? false).toBe(false);
  return JSON.parse(content[0].text);
}

describe('readiness actions over MCP (@backstage/plugin-mcp-actions-backend)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('lists the tools, answers each read tool, and refuses a write without permission', async () => {
    const knex = await databases.init('SQLITE_3');
    const evaluation = captureReadinessScheduler();
    const backend = await startTestBackend({
      features: [
        readinessPlugin,
        mcpActionsPlugin,
        evaluation.module,
        mockServices.database.factory({ knex, migrations: { skip: false } }),
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['readiness'] } },
            mcpActions: { name: 'readiness' },
          },
        }),
        catalogServiceMock.factory({ entities: EXAMPLE_ENTITIES }),
        readOnlyPermissions,
      ],
    });
    await evaluation.evaluate();

    const client = new Client({ name: 'readiness-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://localhost:${backend.server.port()}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header() },
          },
        },
      ),
    );
    try {
      const { tools } = await client.listTools();
      const names = tools.map(t => t.name).sort();
      const tool = (name: string) =>
        names.find(
          n => n === name || n.endsWith(`.${name}`) || n.endsWith(`:${name}`),
        )!;
      for (const name of [
        'get-scorecard',
        'explain-check',
        'list-services',
        'get-checklists',
        'update-checklist-item',
      ]) {
        expect({ name, found: tool(name) !== undefined }).toEqual({
          name,
          found: true,
        });
      }
      const described = tools.find(t => t.name === tool('get-scorecard'))!;
      expect(described.description).toMatch(/production-readiness scorecard/);
      expect(described.inputSchema.properties).toHaveProperty('entityRef');

      const scorecard = outputOf(
        await client.callTool({
          name: tool('get-scorecard'),
          arguments: { entityRef: 'fraud-detection' },
        }),
      );
      expect(scorecard.entityRef).toBe('component:default/fraud-detection');
      expect(scorecard.level).toBeNull();
      expect(scorecard.results.map((r: any) => r.checkId)).toContain(
        'pdb-configured',
      );
      expect(
        scorecard.results.every((r: any) =>
          ['fail', 'warn', 'error'].includes(r.status),
        ),
      ).toBe(true);

      const explained = outputOf(
        await client.callTool({
          name: tool('explain-check'),
          arguments: {
            checkId: 'pdb-configured',
            entityRef: 'component:default/fraud-detection',
          },
        }),
      );
      expect(explained.level).toBe('silver');
      expect(explained.result).toMatchObject({
        status: 'fail',
        message:
          'No PodDisruptionBudget selects the pods of `fraud-detection`.',
      });
      expect(explained.facts.deployment.pdb).toBeNull();

      const failingPdb = outputOf(
        await client.callTool({
          name: tool('list-services'),
          arguments: { checkId: 'pdb-configured' },
        }),
      );
      const refs = failingPdb.services.map((s: any) => s.entityRef);
      expect(refs).toEqual(
        expect.arrayContaining([
          'component:default/fraud-detection',
          'component:default/cart-service',
        ]),
      );
      expect(refs).not.toContain('component:default/payments-api');

      const belowSilver = outputOf(
        await client.callTool({
          name: tool('list-services'),
          arguments: {
            belowLevel: 'silver',
            owner: 'group:default/payments-team',
          },
        }),
      );
      expect(
        belowSilver.services.every(
          (s: any) =>
            s.owner === 'group:default/payments-team' && s.level !== 'silver',
        ),
      ).toBe(true);
      expect(belowSilver.services.map((s: any) => s.entityRef)).toContain(
        'component:default/fraud-detection',
      );

      const checklists = outputOf(
        await client.callTool({
          name: tool('get-checklists'),
          arguments: { entityRef: 'component:default/fraud-detection' },
        }),
      );
      expect(checklists.phases.length).toBeGreaterThan(0);
      const phase = checklists.phases[0];
      const item = phase.checklists[0].items[0];

      const refused = await client.callTool({
        name: tool('update-checklist-item'),
        arguments: {
          entityRef: 'component:default/fraud-detection',
          phaseId: phase.id,
          itemId: item.definition.id,
          status: 'done',
          evidenceUrl: 'https://wiki.example.com/evidence',
          expectedVersion: item.state.version,
        },
      });
      expect(refused.isError).toBe(true);
      expect((refused.content as any)[0].text).toMatch(
        /not allowed to update the checklists of component:default\/fraud-detection/,
      );
    } finally {
      await client.close();
      await backend.stop();
    }
  });

  it('attests an item for a user who may, and refuses a stale version with the current one', async () => {
    const knex = await databases.init('SQLITE_3');
    const evaluation = captureReadinessScheduler();
    const backend = await startTestBackend({
      features: [
        readinessPlugin,
        mcpActionsPlugin,
        evaluation.module,
        mockServices.database.factory({ knex, migrations: { skip: false } }),
        mockServices.rootConfig.factory({
          data: { backend: { actions: { pluginSources: ['readiness'] } } },
        }),
        catalogServiceMock.factory({ entities: EXAMPLE_ENTITIES }),
      ],
    });
    await evaluation.evaluate();
    const client = new Client({ name: 'readiness-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`http://localhost:${backend.server.port()}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header() },
          },
        },
      ),
    );
    try {
      const { tools } = await client.listTools();
      const tool = (name: string) =>
        tools.map(t => t.name).find(n => n.endsWith(name))!;
      const checklists = outputOf(
        await client.callTool({
          name: tool('get-checklists'),
          arguments: { entityRef: 'component:default/fraud-detection' },
        }),
      );
      const phase = checklists.phases[0];
      const item = phase.checklists[0].items[0];
      const update = {
        entityRef: 'component:default/fraud-detection',
        phaseId: phase.id,
        itemId: item.definition.id,
        status: 'done',
        evidenceUrl: 'https://wiki.example.com/evidence',
        expectedVersion: item.state.version,
      };
      const done = outputOf(
        await client.callTool({
          name: tool('update-checklist-item'),
          arguments: update,
        }),
      );
      expect(done).toMatchObject({
        status: 'done',
        version: item.state.version + 1,
      });
      // The same version again is stale: refused, with the current one.
      const stale = await client.callTool({
        name: tool('update-checklist-item'),
        arguments: { ...update, status: 'open' },
      });
      expect(stale.isError).toBe(true);
      expect((stale.content as any)[0].text).toContain(
        `has changed: it is at version ${item.state.version + 1}, not ${
          item.state.version
        }`,
      );
    } finally {
      await client.close();
      await backend.stop();
    }
  });
});
