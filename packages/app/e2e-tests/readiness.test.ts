import { expect, Page, test } from '@playwright/test';
// The e2e tests run in Node (Playwright), not in the browser bundle.
// eslint-disable-next-line no-restricted-imports
import { readFile } from 'fs/promises';
import { openAsGuest } from './signIn';

/*
 * A platform owner's path through the readiness UI: a service's failing
 * checks on its card and tab, an attested checklist item, the overview that
 * reflects it, and the CSV export. The guest is a member of payments-team,
 * which owns fraud-detection, so the guest may attest its items.
 */

const SERVICE = 'fraud-detection';
const ITEM = 'Production environment fully configured';
const EVIDENCE = 'https://wiki.example.com/fraud-detection/production-env';

// Large enough for the screenshots to show each screen's main content.
test.use({ viewport: { width: 1440, height: 1200 } });

function overviewRow(page: Page, name: string) {
  return page
    .getByRole('table', { name: 'Services' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

test('a platform owner finds what is not ready, attests an item, sees the overview reflect it and exports CSV', async ({
  page,
}) => {
  // 1. The service page: the card says what fails and how to fix it.
  await openAsGuest(page, `/catalog/default/component/${SERVICE}`);
  const card = page
    .getByRole('heading', { name: 'Production readiness' })
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await expect(card).toBeVisible({ timeout: 60_000 });
  await expect(card.getByLabel(/^Level: /)).toBeVisible({ timeout: 60_000 });
  await expect(
    card.getByRole('heading', { name: /^Failing checks \(\d+\)$/ }),
  ).toBeVisible();
  const failing = card.getByRole('list', { name: 'Failing checks' });
  await expect(failing.getByText('How to fix:').first()).toBeVisible();
  await expect(
    card.getByRole('table', { name: 'Scores per area' }),
  ).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e/readiness-card.png' });

  // 2. The Readiness tab: the scorecard by area, then the checklists.
  await card.getByRole('link', { name: /Open the Readiness tab/ }).click();
  await expect(page).toHaveURL(new RegExp(`/${SERVICE}/readiness$`));
  await expect(page.getByText('Checks by area')).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page.getByRole('button', { name: /\d+ to fix/ }).first(),
  ).toBeVisible();

  const item = page.getByRole('listitem', { name: ITEM, exact: true });
  await expect(item).toBeVisible({ timeout: 60_000 });
  // A portal that kept its state from an earlier run: reopen the item first.
  const reopen = page.getByRole('button', { name: `Reopen: ${ITEM}` });
  if (await reopen.isVisible()) {
    await reopen.click();
    const dialog = page.getByRole('dialog', { name: 'Reopen' });
    await dialog.getByRole('button', { name: 'Reopen' }).click();
    await expect(dialog).toBeHidden();
    await expect(item.getByLabel('Status: Open')).toBeVisible();
  }

  // 3. Attest the item with evidence.
  await page.getByRole('button', { name: `Mark as done: ${ITEM}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Mark as done' });
  await dialog.getByLabel(/Evidence URL/).fill(EVIDENCE);
  await dialog.getByLabel('Note').fill('Checked by the e2e test');
  await dialog.getByRole('button', { name: 'Mark as done' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Saved: "${ITEM}" is now done.`)).toBeVisible();
  await expect(item.getByLabel('Status: Done')).toBeVisible();
  await expect(item.getByRole('link', { name: 'Evidence' })).toHaveAttribute(
    'href',
    EVIDENCE,
  );
  const trail = page.getByRole('table', { name: 'Audit trail' });
  await expect(
    trail.getByRole('row').filter({ hasText: ITEM }).first(),
  ).toContainText('Done');

  const phaseHeading = page.getByRole('heading', {
    name: /— \d+ of \d+ done$/,
    level: 3,
  });
  const [, done, total] =
    (await phaseHeading.first().textContent())!.match(
      /— (\d+) of (\d+) done$/,
    ) ?? [];
  expect(Number(done)).toBeGreaterThanOrEqual(1);
  await item.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e/readiness-checklists.png' });
  await page
    .getByRole('heading', { name: 'Fraud Detection' })
    .scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e/readiness-tab.png' });

  // 4. The overview reflects the attestation: the phase column counts it.
  await openAsGuest(page, `/readiness?q=${SERVICE}`);
  const row = overviewRow(page, SERVICE);
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText(`${done}/${total}`);
  await expect(row).toContainText(/\d+ failing/);
  // The row leads to the service's Readiness tab.
  await expect(row.getByRole('link', { name: SERVICE })).toHaveAttribute(
    'href',
    `/catalog/default/component/${SERVICE}/readiness`,
  );

  // 5. Filters live in the URL; the whole portfolio is summarised.
  await openAsGuest(page, '/readiness?owner=payments-team');
  await expect(overviewRow(page, SERVICE)).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByRole('table', { name: 'Summary per owner' }),
  ).toContainText('payments-team');
  await expect(overviewRow(page, 'checkout-api')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/e2e/readiness-overview.png' });

  // 6. CSV export of that view.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('readiness-overview.csv');
  const csv = await readFile((await file.path())!, 'utf8');
  expect(csv).toContain(`component:default/${SERVICE}`);
  expect(csv).not.toContain('component:default/checkout-api');
});
