/*
 * Browser measurement of the readiness overview with 10,000 services.
 *
 * The portal must be running (`yarn start` or `yarn start:portal`): sign-in
 * and the catalog are real, while the readiness API is replaced, in the
 * browser, by a generated portfolio of 10,000 services (page.route), so the
 * figures measure the page, not the backend. Run with `yarn perf:overview`.
 *
 * It prints, over several runs (medians and maxima): the full page load of
 * the overview; the time until it is interactive when opened from the nav
 * (first rows shown and the filters usable); the time to apply a filter
 * (selecting a tier until the filtered rows are shown); the frame intervals
 * while scrolling continuously, one step per animation frame, as pages of
 * 200 rows load; and how many rows are in the DOM meanwhile.
 */
import { chromium, Page, Route } from '@playwright/test';

const BASE_URL = process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000';
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const SERVICES = Number(process.env.PERF_SERVICES ?? 10_000);
const RUNS = Number(process.env.PERF_RUNS ?? 5);

const OWNERS = Array.from({ length: 40 }, (_, i) => `group:default/team-${i}`);
const SYSTEMS = Array.from(
  { length: 25 },
  (_, i) => `system:default/system-${i}`,
);
const TIERS = ['tier-1', 'tier-2', 'tier-3', 'tier-4', null];
const LEVELS = [null, 'bronze', 'silver', 'gold'];
const LEVEL_RANK: Record<string, number> = { bronze: 1, silver: 2, gold: 3 };
const AREAS = [
  'deployment',
  'auto-scaling',
  'security',
  'disaster-recovery',
  'sla',
];

interface Item {
  entityRef: string;
  kind: string;
  type: string;
  lifecycle: string;
  owner: string;
  system: string;
  tier: string | null;
  level: string | null;
  score: number;
  areas: Record<string, number>;
  passed: number;
  failed: number;
  evaluatedAt: string;
  stale: boolean;
  phases: Array<{ phaseId: string; done: number; total: number }>;
}

/** A deterministic portfolio. */
function generate(count: number): Item[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: count }, (_, i) => {
    const score = Math.round(random() * 100);
    const failed = Math.round((100 - score) / 4);
    return {
      entityRef: `component:default/service-${String(i).padStart(5, '0')}`,
      kind: 'component',
      type: 'service',
      lifecycle: random() < 0.85 ? 'production' : 'experimental',
      owner: OWNERS[Math.floor(random() * OWNERS.length)],
      system: SYSTEMS[Math.floor(random() * SYSTEMS.length)],
      tier: TIERS[Math.floor(random() * TIERS.length)],
      level: LEVELS[Math.min(3, Math.floor(score / 25))],
      score,
      areas: Object.fromEntries(
        AREAS.map(area => [area, Math.round(random() * 100)]),
      ),
      passed: 25 - failed,
      failed,
      evaluatedAt: '2026-11-26T11:00:00.000Z',
      stale: random() < 0.02,
      phases: [
        { phaseId: 'phase-4', done: Math.round(random() * 29), total: 29 },
      ],
    };
  });
}

const PORTFOLIO = generate(SERVICES);

function matches(item: Item, params: URLSearchParams): boolean {
  for (const key of [
    'owner',
    'system',
    'lifecycle',
    'tier',
    'level',
  ] as const) {
    const wanted = params.getAll(key);
    if (wanted.length === 0) {
      continue;
    }
    const value = item[key];
    const ok = wanted.some(w =>
      w === 'none'
        ? value === null
        : value === w ||
          value === `group:default/${w}` ||
          value === `system:default/${w}`,
    );
    if (!ok) {
      return false;
    }
  }
  const q = params.get('q');
  return !q || item.entityRef.includes(q.toLowerCase());
}

function sortKey(item: Item, orderBy: string): string | number {
  switch (orderBy) {
    case 'score':
      return item.score;
    case 'owner':
      return item.owner;
    case 'level':
      return (item.level ? LEVEL_RANK[item.level] : 0) * 1000 + item.score;
    default:
      return item.entityRef;
  }
}

function overview(params: URLSearchParams) {
  const orderBy = params.get('orderBy') ?? 'entityRef';
  const direction = params.get('order') === 'desc' ? -1 : 1;
  const limit = Number(params.get('limit') ?? 100);
  const offset = Number(params.get('cursor') ?? 0);
  const filtered = PORTFOLIO.filter(item => matches(item, params)).sort(
    (a, b) => {
      const ka = sortKey(a, orderBy);
      const kb = sortKey(b, orderBy);
      if (ka === kb) {
        return a.entityRef < b.entityRef ? -1 : 1;
      }
      return (ka < kb ? -1 : 1) * direction;
    },
  );
  const items = filtered.slice(offset, offset + limit);
  return {
    items,
    totalCount: filtered.length,
    ...(offset + limit < filtered.length && {
      nextCursor: String(offset + limit),
    }),
  };
}

function summary(params: URLSearchParams) {
  const filtered = PORTFOLIO.filter(item => matches(item, params));
  const levels = (items: Item[]) =>
    [...LEVELS].reverse().map(level => ({
      level,
      count: items.filter(i => i.level === level).length,
    }));
  const average = (items: Item[]) =>
    items.length ? items.reduce((n, i) => n + i.score, 0) / items.length : null;
  return {
    total: filtered.length,
    averageScore: average(filtered),
    levels: levels(filtered),
    owners: OWNERS.map(owner => {
      const mine = filtered.filter(i => i.owner === owner);
      return {
        owner,
        count: mine.length,
        averageScore: average(mine) ?? 0,
        levels: levels(mine),
      };
    }).filter(o => o.count > 0),
  };
}

async function answer(route: Route) {
  const url = new URL(route.request().url());
  const path = url.pathname.replace(/^\/api\/readiness\//, '');
  const json = (body: unknown) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify(body),
    });
  switch (path) {
    case 'overview':
      return json(overview(url.searchParams));
    case 'overview/summary':
      return json(summary(url.searchParams));
    case 'overview/trend':
      return json({
        items: Array.from({ length: 90 }, (_, d) => ({
          day: new Date(Date.UTC(2026, 7, 29 + d)).toISOString().slice(0, 10),
          count: SERVICES,
          averageScore: 40 + d / 6,
          levels: [],
        })),
      });
    case 'phases':
      return json({
        phases: [
          {
            id: 'phase-4',
            title: 'Phase 4: Deployment & Scaling',
            checklists: [
              {
                id: 'completion',
                title: 'Phase Completion Checklist',
                itemCount: 29,
              },
            ],
          },
        ],
      });
    case 'checks':
      return json({
        scorecard: { id: 'default', title: 'Production readiness' },
        levels: [
          { id: 'bronze', title: 'Bronze', rank: 1 },
          { id: 'silver', title: 'Silver', rank: 2 },
          { id: 'gold', title: 'Gold', rank: 3 },
        ],
        checks: [],
      });
    case 'catalog-errors':
      return json({ items: [] });
    default:
      return route.continue();
  }
}

async function signIn(page: Page) {
  await page.goto(`${BASE_URL}/`);
  const enter = page.getByRole('button', { name: 'Enter' });
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await enter.or(nav).first().waitFor({ state: 'attached', timeout: 120_000 });
  if (await enter.isVisible()) {
    await enter.click();
  }
  await nav.waitFor({ state: 'attached', timeout: 120_000 });
}

function rowHeader(page: Page, name: string) {
  return page
    .getByRole('table', { name: 'Services' })
    .getByRole('rowheader', { name, exact: true });
}

async function measureOnce(page: Page) {
  const first = overview(
    new URLSearchParams('orderBy=level&order=asc&limit=200'),
  ).items[0];
  const firstRow = () => rowHeader(page, first.entityRef.split('/')[1]);

  // A full page load of the overview (the dev server's unminified bundle).
  const loadStart = Date.now();
  await page.goto(`${BASE_URL}/readiness`);
  await firstRow().waitFor({ timeout: 120_000 });
  const fullLoadMs = Date.now() - loadStart;

  // Interactive: from the nav item, in the running app, to the first rows
  // shown and the filters usable.
  await page.getByRole('link', { name: 'Catalog' }).first().click();
  await firstRow().waitFor({ state: 'detached' });
  const start = Date.now();
  await page.getByRole('link', { name: 'Readiness' }).first().click();
  await firstRow().waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: /^Tier/ }).waitFor();
  const interactiveMs = Date.now() - start;

  // Apply a filter: tier-2, from the click on the option to the rows shown.
  await page.getByRole('button', { name: /^Tier/ }).click();
  const option = page.getByRole('option', { name: 'tier-2' });
  await option.waitFor();
  const expected = overview(
    new URLSearchParams('tier=tier-2&orderBy=level&order=asc&limit=200'),
  );
  const filterStart = Date.now();
  await option.click();
  // The select's menu hides the page from assistive technology until closed.
  await page.keyboard.press('Escape');
  await rowHeader(page, expected.items[0].entityRef.split('/')[1]).waitFor();
  await page
    .getByText(
      `200 of ${expected.totalCount.toLocaleString('en-US')} services loaded`,
    )
    .waitFor();
  const filterMs = Date.now() - filterStart;

  // Scroll continuously, one step per animation frame, while pages load:
  // the frame intervals say whether the page stays responsive.
  const scroll = await page
    .getByRole('rowgroup', { name: 'Services, scroll for more' })
    .evaluate(
      (el: HTMLElement) =>
        new Promise<{ frames: number[]; maxRows: number; loaded: string }>(
          resolve => {
            const frames: number[] = [];
            let maxRows = 0;
            let last = performance.now();
            const step = (now: number) => {
              frames.push(now - last);
              last = now;
              el.scrollBy(0, 600);
              maxRows = Math.max(
                maxRows,
                el.querySelectorAll('[role="row"]').length,
              );
              if (frames.length < 240) {
                requestAnimationFrame(step);
              } else {
                const status = document.querySelector(
                  '[role="table"] ~ div [role="status"]',
                );
                resolve({
                  frames,
                  maxRows,
                  loaded: status?.textContent ?? '',
                });
              }
            };
            requestAnimationFrame(step);
          },
        ),
    );
  const frames = [...scroll.frames.slice(1)].sort((x, y) => x - y);
  return {
    fullLoadMs,
    interactiveMs,
    filterMs,
    frameP50Ms: frames[Math.floor(frames.length * 0.5)],
    frameP95Ms: frames[Math.floor(frames.length * 0.95)],
    frameMaxMs: frames[frames.length - 1],
    maxRowsInDom: scroll.maxRows,
    loadedAfterScroll: scroll.loaded,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({
    viewport: { width: 1440, height: 1000 },
  });
  await page.route('**/api/readiness/**', answer);
  await signIn(page);
  // A first visit warms the bundle cache; it is reported apart.
  const cold = await measureOnce(page).catch(async error => {
    await page.screenshot({ path: 'test-results/overview-perf-failure.png' });
    throw error;
  });
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) {
    runs.push(await measureOnce(page));
  }
  await browser.close();

  const stat = (key: keyof (typeof runs)[number]) => {
    const values = runs.map(r => Number(r[key]));
    return { median: median(values), max: Math.max(...values) };
  };
  const report = {
    services: SERVICES,
    runs: RUNS,
    coldFullLoadMs: cold.fullLoadMs,
    fullLoadMs: stat('fullLoadMs'),
    interactiveMs: stat('interactiveMs'),
    filterMs: stat('filterMs'),
    scrollFrameP50Ms: stat('frameP50Ms'),
    scrollFrameP95Ms: stat('frameP95Ms'),
    scrollFrameMaxMs: stat('frameMaxMs'),
    maxRowsInDom: Math.max(...runs.map(r => r.maxRowsInDom)),
    loadedAfterScroll: runs[runs.length - 1].loadedAfterScroll,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
