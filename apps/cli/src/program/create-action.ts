import type { Command, OptionValues } from 'commander';
import type { CommandContext } from '../commands/command-context';
import type { CliIo } from './cli-io';
import { createCommandContext, type GlobalOptions } from './global-options';

/** What an action handler receives: the context, the command's own options and its operands. */
export interface ActionInput<TOptions extends OptionValues> {
  context: CommandContext;
  options: TOptions;
  operands: string[];
  command: Command;
}

/**
 * Adapts a command function to commander's action signature: builds the context from the
 * global flags, runs the command and records its exit code. Errors propagate to `runCli`,
 * which prints them as one sentence and a next step.
 */
export function createActionFactory({
  io,
  setExitCode,
}: {
  io: CliIo;
  setExitCode: (code: number) => void;
}) {
  return <TOptions extends OptionValues>(
    handler: (input: ActionInput<TOptions>) => Promise<number>,
  ) =>
    async (...actionArguments: unknown[]): Promise<void> => {
      const command = actionArguments.at(-1) as Command;
      const context = createCommandContext({
        io,
        globals: command.optsWithGlobals<GlobalOptions>(),
      });
      setExitCode(
        await handler({
          context,
          options: command.opts<TOptions>(),
          operands: command.processedArgs as string[],
          command,
        }),
      );
    };
}

/** Examples appended to a command's --help. */
export function formatExamples(
  examples: ReadonlyArray<readonly [command: string, explanation: string]>,
): string {
  const lines = examples.map(([command, explanation]) => `  $ ${command}\n      ${explanation}`);
  return `\nExamples:\n${lines.join('\n')}\n`;
}
