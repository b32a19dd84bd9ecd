import type { Command } from 'commander';
import { runServe } from '../commands/serve';
import { type createActionFactory, formatExamples } from './create-action';
import type { GlobalOptions } from './global-options';

/** `qwen-relay serve [flags]`: every flag after `serve` goes to the proxy's own parser. */
export function registerServeCommand({
  program,
  action,
}: {
  program: Command;
  action: ReturnType<typeof createActionFactory>;
}) {
  program
    .command('serve')
    .description('run the OpenAI-compatible proxy (all flags: qwen-relay serve --help)')
    .argument('[flags...]', 'proxy flags, e.g. --port 8080 --host 127.0.0.1 --proxy-api-keys k1,k2')
    // the proxy owns its flags, and --help, which lists every one of them
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay serve', 'listen on 127.0.0.1:8080 with the accounts in ~/.qwen'],
        [
          'qwen-relay serve --port 9000 --proxy-api-keys secret1',
          'another port; clients must send a key',
        ],
        ['QWEN_API_KEY=sk-... qwen-relay serve', 'use a paid API key instead of OAuth'],
      ]),
    )
    .action(
      action<Record<string, never>>(({ context, command }) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        return runServe({
          ...context,
          proxyArguments: command.args,
          ...(globals.qwenDir === undefined ? {} : { qwenDirFlag: globals.qwenDir }),
          ...(globals.oauthBaseUrl === undefined ? {} : { oauthBaseUrlFlag: globals.oauthBaseUrl }),
        });
      }),
    );
}
