import { expect, test } from '@playwright/test';
import { openAsGuest } from './signIn';

test('a ready service shows its service levels, sources and links', async ({
  page,
}) => {
  await openAsGuest(page, '/catalog/default/component/payments-api');

  const card = page
    .getByRole('heading', { name: 'Service levels & recovery' })
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await expect(card).toBeVisible({ timeout: 60_000 });
  const targets = card.getByRole('table', { name: 'Targets' });
  await expect(
    targets.getByRole('row', { name: /Availability\s+99\.95%/ }),
  ).toBeVisible();
  await expect(card.getByText(/Meets the RPO/)).toBeVisible();
  await expect(card.getByRole('link', { name: /Runbook/ })).toBeVisible();
  await expect(card.getByText('No problems found.')).toBeVisible();

  // The catalog graph shows the service's SLA and DR plan.
  await expect(page.getByText('hasServiceLevelAgreement')).toBeVisible();
  await expect(page.getByText('hasDisasterRecoveryPlan')).toBeVisible();
  await page.screenshot({
    path: 'test-results/e2e/service-levels.png',
    fullPage: true,
  });
});

test('a service whose DR test is overdue says so in words', async ({
  page,
}) => {
  await openAsGuest(page, '/catalog/default/component/refund-service');

  await expect(
    page.getByRole('heading', { name: 'Service levels & recovery' }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByText(/Overdue: it must be tested every/),
  ).toBeVisible();
});
