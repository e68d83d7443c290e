import { expect, test } from '@playwright/test';
import { openAsGuest } from './signIn';

test('the catalog lists the example services', async ({ page }) => {
  await openAsGuest(page);

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();

  // The example catalog is loaded from app-config.yaml.
  const service = page.getByRole('link', { name: 'Payments API', exact: true });
  await expect(service).toBeVisible({ timeout: 90_000 });
  await page.screenshot({
    path: 'test-results/e2e/catalog.png',
    fullPage: true,
  });

  await service.click();
  await expect(
    page.getByRole('heading', { name: 'Payments API' }).first(),
  ).toBeVisible();
});

test('the readiness page is in the nav: the overview, the catalog problems and Phase 4', async ({
  page,
}) => {
  await openAsGuest(page);

  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Readiness', exact: true })
    .click();

  await expect(
    page.getByRole('heading', { name: 'Production readiness' }),
  ).toBeVisible();
  // The overview of every service answers the backend's data.
  await expect(page.getByRole('table', { name: 'Services' })).toBeVisible();
  // Right after the portal starts, the first evaluation cycle may still be
  // running: the overview is empty until it ends, so look again (as a user
  // would) until the services are there.
  await expect(async () => {
    const row = page.getByRole('rowheader', {
      name: 'payments-api',
      exact: true,
    });
    if (!(await row.isVisible())) {
      await openAsGuest(page, '/readiness');
    }
    await expect(row).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000 });
  // The programme itself, for reference, below.
  const programme = page.getByRole('region', { name: 'The programme' });
  await programme.getByRole('button', { name: /Deployment & Scaling/ }).click();
  await expect(
    programme.getByRole('list', { name: 'Phase Completion Checklist' }),
  ).toBeVisible();
  // Broken examples are not served by the catalog; their errors are listed.
  const problems = page.getByRole('table', {
    name: 'Catalog validation problems',
  });
  await expect(
    problems.getByRole('row', {
      name: /payouts-worker.*'4 hours' is not a duration/,
    }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/e2e/readiness.png',
    fullPage: true,
  });
});
