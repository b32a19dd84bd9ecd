import {
  createPlanWindowTracker,
  createUsageRecorder,
  type PlanWindowState,
  parseProxyConfig,
  resolvePlanWindowLimits,
  type UsageRow,
} from '@qwen-relay/proxy';
import { createStateStore } from '@qwen-relay/state-store';
import type { CommandContext } from './command-context';

const BAR_WIDTH = 20;

/** `█████░░░░░` for `used` of `limit` (full when spent). */
export function renderWindowBar({ used, limit }: { used: number; limit: number }): string {
  const filled = Math.min(BAR_WIDTH, Math.round((used / Math.max(1, limit)) * BAR_WIDTH));
  return `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
}

function renderTable(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column < 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join('  '),
    )
    .join('\n');
}

/**
 * `qwen-relay usage`: requests and tokens per client, account and model, and each account's
 * plan windows as bars, read from the proxy's state store (STATE_DIR, or Redis with REDIS_URL)
 * — the same numbers every proxy on that store counts. `--json` prints them as JSON.
 */
export async function runUsage({
  json = false,
  ...context
}: CommandContext & { json?: boolean }): Promise<number> {
  const config = parseProxyConfig({ env: { ...context.env, QWEN_DIR: context.qwenDir } });
  const store = createStateStore({
    directory: config.stateDir,
    redisUrl: config.redis?.url,
    redisPassword: config.redis?.password,
    redisKeyPrefix: config.redis?.keyPrefix,
  });
  try {
    const usage: UsageRow[] = await createUsageRecorder({ store }).list();
    const tracker = createPlanWindowTracker({ store, now: context.now });
    const limited = (config.accounts ?? []).map((account) => ({
      accountId: account.id,
      limits: resolvePlanWindowLimits({ tier: account.tier, limits: account.limits }),
    }));
    tracker.configure(limited);
    await tracker.refresh();
    const windows: Record<string, PlanWindowState[]> = {};
    for (const { accountId } of limited) {
      const states = tracker.getWindows(accountId);
      if (states.length > 0) windows[accountId] = states;
    }
    tracker.close();
    if (json) {
      context.stdout.write(
        `${JSON.stringify(
          {
            store: store.kind,
            usage,
            windows: Object.fromEntries(
              Object.entries(windows).map(([accountId, states]) => [
                accountId,
                states.map((state) => ({
                  ...state,
                  resetsAt: new Date(state.resetsAtInMs).toISOString(),
                })),
              ]),
            ),
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const lines: string[] = [];
    if (usage.length === 0) lines.push(`No usage recorded yet in the ${store.kind} store.`);
    else {
      lines.push(
        renderTable([
          ['client', 'account', 'model', 'requests', 'prompt', 'completion', 'cached'],
          ...usage.map((row) => [
            row.client,
            row.accountId,
            row.model,
            String(row.requests),
            String(row.promptTokens),
            String(row.completionTokens),
            String(row.cachedTokens),
          ]),
        ]),
      );
    }
    for (const [accountId, states] of Object.entries(windows)) {
      lines.push('', `${accountId}`);
      for (const state of states) {
        const limit = state.limit ?? state.used;
        const when = new Date(state.resetsAtInMs).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
        lines.push(
          `  ${state.name.padEnd(3)} ${renderWindowBar({ used: state.spent ? limit : state.used, limit })} ${state.used}/${state.limit ?? '–'}${state.spent ? '  SPENT' : ''}  resets ${when}`,
        );
      }
    }
    context.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
