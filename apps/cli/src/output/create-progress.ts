import type { OutputStream } from './output-stream';

/** A line that shows what the command is waiting for. */
export interface Progress {
  /** `text` is the message; `transient` (a countdown) is shown on a terminal only */
  update(text: string, transient?: string): void;
  succeed(text: string): void;
  fail(text: string): void;
}

function isNodeWritable(stream: OutputStream): stream is OutputStream & NodeJS.WritableStream {
  return typeof (stream as { on?: unknown }).on === 'function';
}

/**
 * A spinner on a terminal (ora), plain lines elsewhere: in a pipe or a log a line is printed
 * only when the message changes (never for a countdown), so the output stays readable and
 * free of escape codes.
 */
export async function createProgress({
  stream,
  text,
  transient,
  color,
}: {
  stream: OutputStream;
  text: string;
  transient?: string;
  color: boolean;
}): Promise<Progress> {
  const join = (message: string, detail: string | undefined) =>
    detail === undefined ? message : `${message} ${detail}`;
  // a terminal that reports no width (some CI ptys) would make the spinner redraw endlessly
  const columns = (stream as { columns?: number }).columns ?? 0;
  if (stream.isTTY === true && columns > 0 && isNodeWritable(stream)) {
    // loaded only for a terminal: a pipe or a test never pays for it
    const { default: ora } = await import('ora');
    // discardStdin off: Ctrl-C must reach the process as SIGINT so the command aborts cleanly
    const spinner = ora({
      text: join(text, transient),
      stream,
      discardStdin: false,
      color: color ? 'cyan' : 'white',
      isEnabled: true,
    }).start();
    return {
      update: (message, detail) => {
        spinner.text = join(message, detail);
      },
      succeed: (message) => spinner.succeed(message),
      fail: (message) => spinner.fail(message),
    };
  }
  let lastPrinted = '';
  const print = (line: string) => {
    if (line === lastPrinted) return;
    lastPrinted = line;
    stream.write(`${line}\n`);
  };
  print(text);
  return { update: (message) => print(message), succeed: print, fail: print };
}
