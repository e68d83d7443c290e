import {
  ChecklistItemDefinition,
  ChecklistItemState,
} from '@prodready/plugin-readiness-common';
import { ItemCheckResult, emptyState, evaluateItem } from './evaluate';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const DAY = 86_400_000;

function inputs(results: Record<string, ItemCheckResult['status']> = {}) {
  return {
    results: new Map(
      Object.entries(results).map(([id, status]) => [
        id,
        { status, message: `${id} is ${status}` },
      ]),
    ),
    checkTitles: new Map([['ingress-tls', 'TLS on the ingress']]),
    now: NOW,
    expiringSoonMs: 30 * DAY,
  };
}

const item = (
  kind: ChecklistItemDefinition['kind'],
  checks?: string[],
): ChecklistItemDefinition => ({
  id: 'item',
  text: 'Item',
  kind,
  ...(checks && { checks }),
});

const state = (
  overrides: Partial<ChecklistItemState> = {},
): ChecklistItemState => ({
  ...emptyState('Component:default/A', 'phase-4', 'list', 'item'),
  ...overrides,
});

const done = (expiresInDays?: number) =>
  state({
    status: 'done',
    version: 1,
    ...(expiresInDays !== undefined && {
      expiresAt: new Date(NOW.getTime() + expiresInDays * DAY).toISOString(),
    }),
  });

describe('evaluateItem', () => {
  it.each([
    // kind, checks, stored state, results, effective status, checksPassing
    ['manual', undefined, state(), {}, 'open', null],
    ['manual', undefined, done(), {}, 'done', null],
    ['manual', undefined, done(-1), {}, 'open', null],
    ['automatic', ['a'], state(), { a: 'pass' }, 'done', true],
    ['automatic', ['a', 'b'], state(), { a: 'pass', b: 'fail' }, 'open', false],
    [
      'automatic',
      ['a', 'b'],
      state(),
      { a: 'pass', b: 'not-applicable' },
      'done',
      true,
    ],
    ['automatic', ['a'], state(), { a: 'not-applicable' }, 'open', false],
    ['automatic', ['a'], state(), {}, 'open', false],
    ['both', ['a'], state(), { a: 'pass' }, 'open', true],
    ['both', ['a'], done(), { a: 'fail' }, 'open', false],
    ['both', ['a'], done(), { a: 'pass' }, 'done', true],
    ['both', ['a'], done(-1), { a: 'pass' }, 'open', true],
    [
      'automatic',
      ['a'],
      state({ status: 'not-applicable', expiresAt: '2027-01-01T00:00:00Z' }),
      { a: 'fail' },
      'not-applicable',
      false,
    ],
    [
      'automatic',
      ['a'],
      state({ status: 'not-applicable', expiresAt: '2026-01-01T00:00:00Z' }),
      { a: 'fail' },
      'open',
      false,
    ],
  ] as const)(
    '%s item bound to %j, stored %j, results %j: %s',
    (kind, checks, stored, results, effectiveStatus, checksPassing) => {
      const evaluated = evaluateItem(
        item(kind, checks ? [...checks] : undefined),
        stored,
        inputs(results),
      );
      expect({
        effectiveStatus: evaluated.effectiveStatus,
        checksPassing: evaluated.checksPassing,
      }).toEqual({ effectiveStatus, checksPassing });
    },
  );

  it('names the checks with their results and titles', () => {
    expect(
      evaluateItem(
        item('both', ['ingress-tls', 'other']),
        state(),
        inputs({ 'ingress-tls': 'fail' }),
      ).checks,
    ).toEqual([
      {
        checkId: 'ingress-tls',
        title: 'TLS on the ingress',
        status: 'fail',
        message: 'ingress-tls is fail',
      },
      {
        checkId: 'other',
        title: 'other',
        status: 'missing',
        message: 'The check has not been evaluated yet',
      },
    ]);
    expect(evaluateItem(item('manual'), state(), inputs()).checks).toEqual([]);
  });

  it('flags expiry within 30 days, and expired items', () => {
    const flags = (s: ChecklistItemState) => {
      const { expired, expiresSoon } = evaluateItem(
        item('manual'),
        s,
        inputs(),
      );
      return { expired, expiresSoon };
    };
    expect(flags(done(31))).toEqual({ expired: false, expiresSoon: false });
    expect(flags(done(30))).toEqual({ expired: false, expiresSoon: true });
    expect(flags(done(0))).toEqual({ expired: true, expiresSoon: false });
    expect(flags(done())).toEqual({ expired: false, expiresSoon: false });
    expect(flags(state({ expiresAt: done(5).expiresAt }))).toEqual({
      expired: false,
      expiresSoon: false,
    });
  });
});
