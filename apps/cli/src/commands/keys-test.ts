import { createEnvAccountConfig, loadAccountsFile, resolveAccountsPath } from '@qwen-relay/proxy';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { checkKeyUpstream } from '../keys/check-key-upstream';
import type { CommandContext } from './command-context';

/**
 * `qwen-relay keys test [id]`: one cheap upstream call per key account (or the one named),
 * through its host and egress proxy. Exit 0 when every tested key was accepted, else 1.
 */
export async function runKeysTest({
  id,
  ...context
}: CommandContext & { id?: string }): Promise<number> {
  const { path } = resolveAccountsPath(context.env.QWEN_RELAY_ACCOUNTS);
  const loaded = loadAccountsFile({
    configuredPath: context.env.QWEN_RELAY_ACCOUNTS,
    env: context.env,
    qwenDir: context.qwenDir,
  });
  const accounts = [
    ...(context.env.QWEN_API_KEY
      ? [
          createEnvAccountConfig({
            apiKey: context.env.QWEN_API_KEY,
            apiBaseUrl: context.env.QWEN_API_BASE_URL || undefined,
          }),
        ]
      : []),
    ...(loaded?.accounts ?? []),
  ].filter((account) => account.type !== 'qwen-oauth' && (id === undefined || account.id === id));
  if (accounts.length === 0) {
    if (id !== undefined) {
      throw new CliError({
        code: 'QWEN_RELAY_CLI_ACCOUNT_NOT_FOUND',
        message: `No key account "${id}" (accounts file ${path}).`,
        hint: 'See them with: qwen-relay keys list',
        exitCode: EXIT_CODES.usage,
      });
    }
    context.stdout.write(`No keys to test (${path}). Add one with \`qwen-relay keys add\`.\n`);
    return EXIT_CODES.ok;
  }
  let failed = 0;
  const width = Math.max(...accounts.map((account) => account.id.length));
  for (const account of accounts) {
    const result = await checkKeyUpstream({
      account,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
    const label = `${account.id.padEnd(width)}  ${account.type}  ${account.endpoints?.openAIBaseUrl ?? ''}`;
    if (result.outcome === 'accepted') {
      context.stdout.write(
        `${context.colors.green('✓')} ${label}  accepted${result.note === undefined ? '' : ` (${result.note})`}\n`,
      );
    } else {
      failed += 1;
      context.stdout.write(
        `${context.colors.red('✗')} ${label}  ${result.outcome === 'refused' ? 'refused' : 'unreachable'}: ${result.message}\n`,
      );
    }
  }
  return failed === 0 ? EXIT_CODES.ok : EXIT_CODES.failure;
}
