import { expect, test } from '@playwright/test';
import { openAsGuest } from './signIn';

/*
 * A team fixes what its scorecard says fails: the Readiness tab of
 * fraud-detection shows the patch for that service under each fixable check,
 * "Fix all deployment checks" opens the fix-readiness template prefilled, and
 * the task completes with a new branch of the service's local repository,
 * whose diff the user can open.
 */

const SERVICE = 'fraud-detection';

test.use({ viewport: { width: 1440, height: 1400 } });

test('a team opens the patch of a failing check, runs the fix template from the tab and gets a branch with the fixes', async ({
  page,
}) => {
  // 1. The tab: the service's own patch under the failing PDB check.
  await openAsGuest(page, `/catalog/default/component/${SERVICE}/readiness`);
  await expect(page.getByText('Checks by area')).toBeVisible({
    timeout: 60_000,
  });
  const fixButton = page.getByRole('button', {
    name: /^Fix all deployment checks \(\d+\)$/,
  });
  await expect(fixButton).toBeVisible({ timeout: 60_000 });
  const pdbFix = page
    .getByText(
      /PodDisruptionBudget \(maxUnavailable 1\) that selects the pods of/,
    )
    .first();
  await expect(pdbFix).toBeVisible();
  await expect(
    page.getByText('+kind: PodDisruptionBudget').first(),
  ).toBeVisible();
  await pdbFix.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/e2e/remediation-tab.png' });

  // 2. The template, prefilled with the service.
  await fixButton.click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/fix-readiness/);
  await expect(
    page.getByText('Fix readiness of an existing service').first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    page.locator(`input[value="component:default/${SERVICE}"]`),
  ).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByText(
      "A new branch of the service's local repository on this portal (works offline)",
    ),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // 3. The task completes: the fixes are on a new branch, with a diff to open.
  await expect(page).toHaveURL(/\/create\/tasks\//, { timeout: 60_000 });
  const diffLink = page.getByRole('link', { name: /diff/i }).first();
  await expect(diffLink).toBeVisible({ timeout: 120_000 });
  await page.screenshot({ path: 'test-results/e2e/remediation-task.png' });
  const href = await diffLink.getAttribute('href');
  expect(href).toMatch(
    /\/api\/scaffolder\/readiness\/local-repos\/fraud-detection\/-\/compare\/.+\.\.\.readiness\/fix-\d{4}-\d{2}-\d{2}/,
  );

  // 4. The branch's diff holds the fixes the tab showed.
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  const diff = await response.text();
  expect(diff).toContain('+kind: PodDisruptionBudget');
  expect(diff).toContain('+kind: NetworkPolicy');
  expect(diff).toMatch(/-\s+maxReplicas: 6\n\+\s+maxReplicas: 15/);
  await page.goto(href!);
  await page.screenshot({ path: 'test-results/e2e/remediation-branch.png' });
});
