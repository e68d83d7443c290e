import { expect, Page } from '@playwright/test';

/**
 * Opens a page of the portal as the guest user, signing in first when the
 * sign-in page is shown (the first visit, or a reload that lost the session).
 */
export async function openAsGuest(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(enter.or(nav)).toBeAttached({ timeout: 60_000 });
  if (await enter.isVisible()) {
    await enter.click();
  }
  await expect(nav).toBeAttached({ timeout: 60_000 });
}
