import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenManagerEvent } from '@qwen-relay/contracts';
import { type FakeQwen, type FakeQwenOptions, startFakeQwen } from '@qwen-relay/fake-qwen';
import { request } from 'undici';
import { vi } from 'vitest';
import { createQwenOAuthTokenManager } from '../../src/manager/create-qwen-oauth-token-manager';
import type {
  QwenOAuthTokenManager,
  QwenOAuthTokenManagerOptions,
} from '../../src/manager/qwen-oauth-token-manager';
import { createTempDir } from './create-temp-dir';

/**
 * Everything any scenario printed (events, error messages, statuses) and every secret any
 * scenario saw; the redaction test checks one against the other after all scenarios ran.
 */
export const leakAudit = { texts: [] as string[], secrets: new Set<string>() };

/** A fake upstream, a temp qwen dir with credentials, and managers wired to both. */
export interface Harness {
  fake: FakeQwen;
  qwenDir: string;
  credentialsPath: string;
  lockPath: string;
  events: TokenManagerEvent[];
  createManager(options?: Partial<QwenOAuthTokenManagerOptions>): QwenOAuthTokenManager;
  /** writes credentials issued by the fake (expiresInSeconds may be negative) */
  writeCredentials(options?: { expiresInSeconds?: number }): Promise<void>;
  readFileText(): Promise<string>;
  /** does the fake accept this bearer on chat? */
  isAccessTokenAccepted(accessToken: string): Promise<boolean>;
  /** records an error's message (and the error as JSON) for the redaction audit */
  audit(error: unknown): unknown;
  waitForEvent(predicate: (event: TokenManagerEvent) => boolean): Promise<TokenManagerEvent>;
  close(): Promise<void>;
}

function recordSecretsOf(text: string): void {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['access_token', 'refresh_token']) {
      if (typeof parsed[key] === 'string') leakAudit.secrets.add(parsed[key]);
    }
  } catch {
    // corrupt files in corrupt-file scenarios
  }
}

/** Starts a fake and a temp qwen dir (credentials file written unless `withCredentials` is false). */
export async function createHarness({
  fakeOptions,
  withCredentials = true,
  accountName,
}: {
  fakeOptions?: FakeQwenOptions;
  withCredentials?: boolean;
  accountName?: string;
} = {}): Promise<Harness> {
  const fake = await startFakeQwen(fakeOptions);
  const temp = await createTempDir();
  const fileName = accountName ? `oauth_creds_${accountName}` : 'oauth_creds';
  const credentialsPath = join(temp.path, `${fileName}.json`);
  const lockPath = join(temp.path, `${fileName}.lock`);
  const events: TokenManagerEvent[] = [];
  const managers: QwenOAuthTokenManager[] = [];

  const harness: Harness = {
    fake,
    qwenDir: temp.path,
    credentialsPath,
    lockPath,
    events,
    createManager(options = {}) {
      const manager = createQwenOAuthTokenManager({
        accountId: accountName ?? 'default',
        credentialsPath,
        oauthBaseUrl: fake.url,
        proactiveRefresh: false,
        refreshRetry: { baseDelayInMs: 5, maxDelayInMs: 20 },
        ...options,
        onEvent: (event) => {
          events.push(event);
          leakAudit.texts.push(JSON.stringify(event));
          options.onEvent?.(event);
        },
      });
      managers.push(manager);
      // every token handed out joins the audit's secrets
      const remember = <T extends { accessToken: string }>(token: T): T => {
        leakAudit.secrets.add(token.accessToken);
        return token;
      };
      return {
        ...manager,
        accountId: manager.accountId,
        getAccessToken: (callOptions) => manager.getAccessToken(callOptions).then(remember),
        invalidate: (token, reason) => manager.invalidate(token, reason).then(remember),
        refresh: (callOptions) => manager.refresh(callOptions).then(remember),
      };
    },
    async writeCredentials({ expiresInSeconds } = {}) {
      const credentials = fake.issueCredentials(
        expiresInSeconds === undefined ? {} : { expiresInSeconds },
      );
      leakAudit.secrets.add(credentials.access_token).add(credentials.refresh_token);
      await fake.writeCredentialsFile({
        dir: temp.path,
        credentials,
        ...(accountName ? { accountName } : {}),
      });
    },
    async readFileText() {
      const text = await readFile(credentialsPath, 'utf8');
      recordSecretsOf(text);
      return text;
    },
    async isAccessTokenAccepted(accessToken) {
      leakAudit.secrets.add(accessToken);
      const response = await request(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'coder-model', messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.body.text();
      return response.statusCode === 200;
    },
    audit(error) {
      leakAudit.texts.push(error instanceof Error ? error.message : String(error));
      leakAudit.texts.push(JSON.stringify(error));
      return error;
    },
    async waitForEvent(predicate) {
      await vi.waitFor(
        () => {
          if (!events.some(predicate)) throw new Error('event not seen yet');
        },
        { timeout: 20_000, interval: 5 },
      );
      return events.find(predicate) as TokenManagerEvent;
    },
    async close() {
      for (const manager of managers) {
        leakAudit.texts.push(JSON.stringify(manager.getStatus()));
        await manager.close();
      }
      await harness.readFileText().catch(() => undefined);
      for (const entry of fake.requests) {
        const body = entry.body as Record<string, unknown> | undefined;
        if (typeof body?.refresh_token === 'string') leakAudit.secrets.add(body.refresh_token);
      }
      for (const token of fake.tokensSeen) leakAudit.secrets.add(token);
      await fake.close();
      await temp.remove();
    },
  };
  if (withCredentials) await harness.writeCredentials();
  return harness;
}
