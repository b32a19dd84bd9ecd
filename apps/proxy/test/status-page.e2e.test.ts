import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isChromiumAvailable, launchChromium } from './support/launch-chromium';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

const ARTIFACTS_DIR = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const PROXY_KEY = 'status-page-proxy-key-4f2a9c';

async function chat(environment: TestEnvironment): Promise<void> {
  await environment.openai.chat.completions
    .create({ model: 'coder-model', messages: [{ role: 'user', content: 'hi' }] })
    .catch(() => undefined);
}

async function readState(environment: TestEnvironment, accountId: string): Promise<string> {
  const response = await fetch(`${environment.proxy.url}/health`);
  const health = (await response.json()) as {
    accounts: Array<{ accountId: string; state: string }>;
  };
  return health.accounts.find((account) => account.accountId === accountId)?.state ?? 'missing';
}

describe.skipIf(!isChromiumAvailable())('status page in chromium', () => {
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browserContext: BrowserContext;
  let environment: TestEnvironment | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    chromium = await launchChromium();
    browserContext = chromium.browserContext;
  });
  afterAll(async () => {
    await chromium?.close();
  });
  afterEach(async () => {
    await page?.close();
    page = undefined;
    await environment?.close();
    environment = undefined;
  });

  it('shows every account, a countdown that moves, traffic, and needs-reauth without a reload', async () => {
    environment = await startTestEnvironment({
      prepareQwenDir: async ({ fake, qwenDir }) => {
        await fake.writeCredentialsFile({ dir: qwenDir, accountName: 'work' });
      },
    });
    const { fake } = environment;
    page = await browserContext.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${environment.proxy.url}/`);

    const defaultRow = page.locator('tr[data-account="default"]');
    const workRow = page.locator('tr[data-account="work"]');
    await defaultRow.waitFor();
    await expect(defaultRow.textContent()).resolves.toContain('Qwen OAuth');
    await expect(defaultRow.locator('td').nth(2).textContent()).resolves.toContain('OK');
    await expect(workRow.textContent()).resolves.toContain('oauth_creds_work.json');
    await expect(page.locator('#overall').textContent()).resolves.toBe('Ready');

    // the countdown moves every second, between polls too
    const countdown = defaultRow.locator('.countdown');
    const first = await countdown.textContent();
    expect(first).toMatch(/^in (59m|1h 0m) \d+s$/);
    await expect.poll(() => countdown.textContent(), { timeout: 10_000 }).not.toBe(first);

    // traffic reaches the chart
    await chat(environment);
    await chat(environment);
    await page.locator('#traffic-total', { hasText: '(2 requests, 0 errors)' }).waitFor();
    await expect(page.locator('#chart rect.req').count()).resolves.toBe(1);

    // the default login is revoked upstream: the next request on it ends in needs-reauth
    // page code runs in the browser: given as source text, since the tests compile without DOM types
    await page.evaluate('window.loadedOnce = true');
    const defaultCredentials = JSON.parse(await readFile(environment.credentialsPath, 'utf8')) as {
      access_token: string;
      refresh_token: string;
    };
    fake.revokeRefreshToken(defaultCredentials.refresh_token);
    fake.invalidateAccessToken(defaultCredentials.access_token);
    await waitFor(
      async () => {
        await chat(environment as TestEnvironment);
        return (await readState(environment as TestEnvironment, 'default')) === 'needs-reauth';
      },
      { message: 'the default account to need a new login' },
    );
    await page.locator('tr[data-account="default"][data-state="needs-reauth"]').waitFor();
    const stateText = await page.locator('tr[data-account="default"] td').nth(2).textContent();
    expect(stateText).toContain('Needs a new login');
    expect(stateText).toContain('qwen-relay auth login');
    // the state and the failed refresh are recorded a moment apart: a poll may show one first
    await page.locator('tr[data-account="default"] td', { hasText: /^failed/ }).waitFor();
    await expect(page.evaluate('window.loadedOnce')).resolves.toBe(true);
    // the other account still serves, so the proxy stays ready
    await expect(page.locator('#overall').textContent()).resolves.toBe('Ready');

    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS_DIR}status-page.png`, fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('asks once for the proxy key when PROXY_API_KEYS is set and keeps it in the tab only', async () => {
    environment = await startTestEnvironment({ env: { PROXY_API_KEYS: PROXY_KEY } });
    page = await browserContext.newPage();
    await page.goto(`${environment.proxy.url}/status`);

    const form = page.locator('#key-form');
    await form.waitFor({ state: 'visible' });
    await expect(page.locator('#content').isHidden()).resolves.toBe(true);

    await page.fill('#key', 'not-the-key');
    await page.click('#key-form button');
    await page.locator('#problem', { hasText: 'That key was not accepted.' }).waitFor();

    await page.fill('#key', PROXY_KEY);
    await page.click('#key-form button');
    await page.locator('tr[data-account="default"]').waitFor();
    await expect(form.isHidden()).resolves.toBe(true);

    const storage = await page.evaluate(`({
      session: sessionStorage.getItem('qwen-relay-status-key'),
      localItems: localStorage.length,
      cookie: document.cookie,
    })`);
    expect(storage).toEqual({ session: PROXY_KEY, localItems: 0, cookie: '' });
    const cookies = await browserContext.cookies();
    expect(cookies).toEqual([]);

    // a reload in the same tab does not ask again; a new tab does
    await page.reload();
    await page.locator('tr[data-account="default"]').waitFor();
    await expect(form.isHidden()).resolves.toBe(true);
    const otherTab = await browserContext.newPage();
    try {
      await otherTab.goto(`${environment.proxy.url}/`);
      await otherTab.locator('#key-form').waitFor({ state: 'visible' });
    } finally {
      await otherTab.close();
    }
  });

  it('draws quota windows as bars when the status data has them', async () => {
    environment = await startTestEnvironment();
    page = await browserContext.newPage();
    // the scheduling work adds `windows` to each account; until then the test adds them in transit
    await page.route('**/status.json', async (route) => {
      const response = await route.fetch();
      const snapshot = (await response.json()) as { accounts: Array<Record<string, unknown>> };
      for (const account of snapshot.accounts) {
        account.windows = [
          {
            name: '5h',
            used: 300,
            limit: 1200,
            resetsAt: new Date(Date.now() + 3_600_000).toISOString(),
          },
          { name: 'week', used: 9000, limit: 9000 },
        ];
      }
      await route.fulfill({ response, json: snapshot });
    });
    await page.goto(`${environment.proxy.url}/`);
    const meters = page.locator('tr[data-account="default"] [role="meter"]');
    await meters.first().waitFor();
    await expect(meters.count()).resolves.toBe(2);
    await expect(meters.first().getAttribute('aria-valuenow')).resolves.toBe('300');
    await expect(meters.first().locator('.fill').getAttribute('style')).resolves.toBe(
      'width: 25%;',
    );
    await expect(meters.nth(1).locator('.fill.full').count()).resolves.toBe(1);
    const quotaText = await page.locator('tr[data-account="default"] td').nth(6).textContent();
    expect(quotaText).toContain('5h: 300 / 1200');
    expect(quotaText).toMatch(/resets in (59m|1h 0m)/);
  });
});
