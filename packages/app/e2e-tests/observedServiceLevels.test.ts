import { expect, Page, test } from '@playwright/test';
import { openAsGuest } from './signIn';

/*
 * Observed service levels, against the example Prometheus that the e2e
 * portal starts with (`yarn prometheus:example --start-portal`, see
 * playwright.config.ts): checkout-api misses its availability, payments-api
 * meets its SLA, fraud-detection has no metrics.
 */

test.skip(
  process.env.PRODREADY_SKIP_PROMETHEUS === '1',
  'PRODREADY_SKIP_PROMETHEUS=1: the portal runs without the example Prometheus',
);

/**
 * Opens a page until its observed service levels show what was read from
 * Prometheus (the first evaluation cycle may still be running).
 */
async function openWhenObserved(page: Page, path: string, ready: RegExp) {
  await openAsGuest(page, path);
  const observed = page.getByTestId('observed-service-levels');
  await expect(async () => {
    await page.reload();
    await expect(observed).toContainText(ready, { timeout: 10_000 });
  }).toPass({ timeout: 120_000 });
  return observed;
}

test('the card shows target vs observed, the error budget and the daily availability', async ({
  page,
}) => {
  await openWhenObserved(
    page,
    '/catalog/default/component/checkout-api',
    /job="checkout-api"/,
  );
  const observed = page.getByRole('region', {
    name: 'Observed service levels',
  });
  await expect(observed).toBeVisible();
  const table = observed.getByRole('table', { name: 'Target vs observed' });
  const availability = table.getByRole('row', { name: /Availability/ });
  await expect(availability).toContainText('99.95%');
  await expect(availability).toContainText(/99\.6\d+%/);
  await expect(availability).toContainText('Missed');
  await expect(table.getByRole('row', { name: /p95 latency/ })).toContainText(
    'Met',
  );
  await expect(
    observed.getByRole('meter', { name: 'Error budget used over 28 d' }),
  ).toHaveAttribute('aria-valuenow', '100');
  await expect(observed.getByText(/Error budget exhausted/)).toBeVisible();
  await expect(
    observed.getByRole('img', { name: 'Availability per day over 28 d' }),
  ).toBeVisible();
});

test('the readiness tab scores what a service delivers', async ({ page }) => {
  await openWhenObserved(
    page,
    '/catalog/default/component/payments-api/readiness',
    /job="payments-api"/,
  );
  await expect(
    page.getByRole('heading', { name: 'Observed service levels', level: 2 }),
  ).toBeVisible();
  const table = page.getByRole('table', { name: 'Target vs observed' });
  for (const row of [/Availability/, /p95 latency/, /5xx rate/]) {
    await expect(table.getByRole('row', { name: row })).toContainText('Met');
  }
  // The check's own result (in its area's list) states both numbers.
  await expect(
    page.getByText(/^Observed 99\.99\d*% over 28 d, target 99\.95%/).first(),
  ).toBeAttached();
});

test('a service without metrics says so, and how to select them', async ({
  page,
}) => {
  const observed = await openWhenObserved(
    page,
    '/catalog/default/component/fraud-detection/readiness',
    /has no request metrics for job="fraud-detection"/,
  );
  await expect(observed).toContainText('prodready.dev/prometheus-selector');
  await page.screenshot({
    path: 'test-results/e2e/observed-no-data.png',
    fullPage: true,
  });
});
