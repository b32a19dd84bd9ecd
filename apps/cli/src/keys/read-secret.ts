import type { OutputStream } from '../output/output-stream';

/** The parts of process.stdin a secret reader needs. */
export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** Why no secret was read. */
export class SecretInputCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'SecretInputCancelledError';
  }
}

/**
 * Reads one secret: on a terminal, after `prompt` (on `output`), with echo off (raw mode;
 * Backspace edits, Enter ends, Ctrl-C cancels); otherwise the first non-empty line of the
 * whole input (`echo $KEY | qwen-relay keys add`). The secret is never written anywhere.
 */
export async function readSecret({
  input,
  output,
  prompt,
}: {
  input: SecretInput;
  output: OutputStream;
  prompt: string;
}): Promise<string> {
  if (input.isTTY === true && typeof input.setRawMode === 'function') {
    return readFromTerminal({ input, output, prompt });
  }
  let text = '';
  input.setEncoding('utf8');
  for await (const chunk of input) text += String(chunk);
  return (
    text
      .split(/\r?\n/)
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

function readFromTerminal({
  input,
  output,
  prompt,
}: {
  input: SecretInput;
  output: OutputStream;
  prompt: string;
}): Promise<string> {
  output.write(prompt);
  input.setRawMode?.(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let secret = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(secret.trim());
    };
    const onData = (chunk: string | Buffer) => {
      for (const character of String(chunk)) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish();
        if (character === '\u0003') return finish(new SecretInputCancelledError());
        if (character === '\u007f' || character === '\b') secret = secret.slice(0, -1);
        else if (character >= ' ') secret += character;
      }
    };
    input.on('data', onData);
  });
}
