import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in real Chromium against the local portal (`yarn start`),
 * with the example Prometheus (`yarn prometheus:example --start-portal`:
 * Debian's prometheus on :9090, loaded with recorded request metrics, and the
 * portal with app-config.prometheus.yaml), so that the observed service
 * levels are tested too. Debian's chromium is used: Playwright cannot
 * download browsers here.
 */
const chromium = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  webServer: {
    // PRODREADY_SKIP_PROMETHEUS=1: the portal alone (the observed service
    // level tests are then skipped).
    command:
      process.env.PRODREADY_SKIP_PROMETHEUS === '1'
        ? 'yarn start:portal'
        : 'yarn prometheus:example --start-portal',
    url: 'http://localhost:3000',
    reuseExistingServer: !process.env.CI,
    timeout: 600_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  outputDir: 'test-results/e2e',
});
