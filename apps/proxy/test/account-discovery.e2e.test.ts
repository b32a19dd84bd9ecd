import { readFile, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePrometheusText } from './support/parse-prometheus-text';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

const FAST_DIRECTORY_CHECKS = { CREDENTIALS_CHECK_INTERVAL_MS: '100' };

async function readAccountIds(environment: TestEnvironment): Promise<string[]> {
  const response = await fetch(`${environment.proxy.url}/health`);
  const health = (await response.json()) as { accounts: Array<{ accountId: string }> };
  return health.accounts.map((account) => account.accountId);
}

async function readMetricAccounts(environment: TestEnvironment): Promise<string[]> {
  const text = await (await fetch(`${environment.proxy.url}/metrics`)).text();
  const accounts = parsePrometheusText(text)
    .samples.filter((sample) => sample.name === 'qwen_relay_account_state' && sample.value === 1)
    .map((sample) => sample.labels.account ?? '');
  return [...new Set(accounts)].sort();
}

// each call its own conversation: one conversation would stay on one account (prompt cache)
let conversation = 0;
function chat(environment: TestEnvironment) {
  conversation += 1;
  return environment.openai.chat.completions.create({
    model: 'coder-model',
    messages: [{ role: 'user', content: `ping ${conversation}` }],
  });
}

describe('accounts added and removed while the proxy runs', () => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  it('serves a new oauth_creds_<name>.json without a restart, round-robin, and drops it when the file goes', async () => {
    environment = await startTestEnvironment({ env: FAST_DIRECTORY_CHECKS });
    const current = environment;
    expect(await readAccountIds(current)).toEqual(['default']);
    const defaultToken = JSON.parse(await readFile(current.credentialsPath, 'utf8'))
      .access_token as string;

    const workPath = await current.fake.writeCredentialsFile({
      dir: current.qwenDir,
      accountName: 'work',
    });
    const workToken = JSON.parse(await readFile(workPath, 'utf8')).access_token as string;
    await waitFor(async () => (await readAccountIds(current)).includes('work'), {
      message: '/health to list the new account',
    });
    expect(await readAccountIds(current)).toEqual(['default', 'work']);
    expect(await readMetricAccounts(current)).toEqual(['default', 'work']);

    current.fake.reset();
    for (let call = 0; call < 4; call++) expect((await chat(current)).choices).toHaveLength(1);
    expect([...current.fake.tokensSeen].sort()).toEqual([defaultToken, workToken].sort());

    await rm(workPath);
    await waitFor(async () => !(await readAccountIds(current)).includes('work'), {
      message: '/health to drop the removed account',
    });
    expect(await readMetricAccounts(current)).toEqual(['default']);
    current.fake.reset();
    expect((await chat(current)).choices).toHaveLength(1);
    expect([...current.fake.tokensSeen]).toEqual([defaultToken]);
    expect(
      current
        .logEntries()
        .some((entry) => entry.msg === 'Account work found; now serving 2 account(s)'),
    ).toBe(true);
  });

  it('replaces the waiting default account by the first named login', async () => {
    environment = await startTestEnvironment({ credentials: 'none', env: FAST_DIRECTORY_CHECKS });
    const current = environment;
    await expect(chat(current)).rejects.toMatchObject({ status: 401 });

    await current.fake.writeCredentialsFile({ dir: current.qwenDir, accountName: 'work' });
    await waitFor(async () => (await readAccountIds(current)).join() === 'work', {
      message: 'the named account to replace the waiting default',
    });
    expect((await chat(current)).choices).toHaveLength(1);

    // the default login arriving later joins as well
    await current.fake.writeCredentialsFile({ dir: current.qwenDir });
    await waitFor(async () => (await readAccountIds(current)).join() === 'default,work', {
      message: 'the default account to join',
    });
  });
});
