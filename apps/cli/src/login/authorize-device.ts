import { type QwenCredentials, startDeviceAuthorization } from '@qwen-relay/token-manager';
import type { CommandContext } from '../commands/command-context';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { shouldUseColor } from '../output/create-colors';
import { createProgress } from '../output/create-progress';
import { formatDuration } from '../output/format-duration';
import { renderDevicePrompt } from './render-device-prompt';

const WAITING = 'Waiting for approval in the browser';

/**
 * Runs the device authorization (RFC 8628 + PKCE, in token-manager) with the person: shows
 * the address, code and QR code, opens the browser if asked, and polls with a spinner until
 * approval. Writes no file. Ctrl-C (the context's signal) stops it with exit code 130.
 */
export async function authorizeDevice({
  context,
  browser,
  openBrowser,
  pollIntervalInMs,
}: {
  context: CommandContext;
  browser: boolean;
  openBrowser: (url: string) => Promise<boolean>;
  pollIntervalInMs?: number | undefined;
}): Promise<QwenCredentials> {
  const { signal } = context;
  try {
    const authorization = await startDeviceAuthorization({
      oauthBaseUrl: context.oauthBaseUrl,
      ...(signal === undefined ? {} : { signal }),
      ...(pollIntervalInMs === undefined ? {} : { initialPollIntervalInMs: pollIntervalInMs }),
    });
    context.stdout.write(
      await renderDevicePrompt({
        ...authorization,
        // the QR code is drawn with ANSI colors: only where colors are welcome (not with NO_COLOR)
        showQrCode: shouldUseColor({ env: context.env, isTTY: context.stdout.isTTY === true }),
        colors: context.colors,
      }),
    );
    // best effort: the address is printed anyway, so a browser that cannot open is no error
    if (browser) await openBrowser(authorization.verificationUriComplete).catch(() => false);

    const timeLeft = () =>
      `(code expires in ${formatDuration(Math.max(0, authorization.expiresAtInMs - context.now()))})`;
    let message = WAITING;
    const progress = await createProgress({
      stream: context.stderr,
      text: message,
      transient: timeLeft(),
      color: shouldUseColor({ env: context.env, isTTY: context.stderr.isTTY === true }),
    });
    const ticker = setInterval(() => progress.update(message, timeLeft()), 1000);
    ticker.unref();
    try {
      const credentials = await authorization.pollForCredentials({
        ...(signal === undefined ? {} : { signal }),
        onPoll: ({ state, intervalInMs }) => {
          // RFC 8628 §3.5: slow_down means poll less often; say so, since the wait gets longer
          message =
            state === 'slow_down'
              ? `${WAITING} (the server asked to slow down: polling every ${formatDuration(intervalInMs)})`
              : WAITING;
          progress.update(message, timeLeft());
        },
      });
      progress.succeed('Approved.');
      return credentials;
    } catch (error) {
      progress.fail(signal?.aborted === true ? 'Cancelled.' : 'Not approved.');
      throw error;
    } finally {
      clearInterval(ticker);
    }
  } catch (error) {
    if (signal?.aborted === true) {
      throw new CliError({
        code: 'QWEN_RELAY_CLI_CANCELLED',
        message: 'Login cancelled; no file was changed.',
        exitCode: EXIT_CODES.interrupted,
        cause: error,
      });
    }
    throw error;
  }
}
