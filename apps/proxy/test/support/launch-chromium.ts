import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium: the browser tests drive a real one, installed by `.ci/run` when missing. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser tests can run here. Off CI a machine without chromium skips them with a
 * note; on CI (CI=true) a missing browser is a failure, never a silent skip.
 */
export function isChromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but ${CHROMIUM_PATH} is missing: .ci/run should have installed it`);
  }
  console.warn(`browser tests skipped: no chromium at ${CHROMIUM_PATH}`);
  return false;
}

/** A headless chromium with a fresh profile; `close` removes the profile too. */
export async function launchChromium(): Promise<{
  browserContext: BrowserContext;
  close(): Promise<void>;
}> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'qwen-relay-chromium-'));
  // a persistent context is how playwright takes a profile directory (it rejects --user-data-dir)
  const browserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1200, height: 720 },
    // the rest keeps chromium off the network and quiet
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
  });
  return {
    browserContext,
    async close() {
      await browserContext.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
