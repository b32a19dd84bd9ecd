import type { FakeEndpoint, FaultAction, FaultRule } from '../types';

/** When a fault is looked up: before any answer, or when a stream starts. */
export type FaultPhase = 'before-response' | 'stream';

/** What the server knows about a request when it looks for a fault. */
export interface FaultQuery {
  endpoint: FakeEndpoint;
  phase: FaultPhase;
  stream?: boolean;
  grantType?: string;
  bearer?: string;
}

/** A queue of fault rules, consumed in insertion order. */
export interface FaultQueue {
  push(rule: FaultRule): void;
  take(query: FaultQuery): FaultAction | undefined;
  clear(): void;
  readonly size: number;
}

const STREAM_ACTIONS: ReadonlySet<FaultAction['type']> = new Set([
  'mid-stream-error',
  'mid-stream-drop',
  'stall',
  'error-finish',
]);

function matches(rule: FaultRule, query: FaultQuery): boolean {
  if (rule.endpoint !== query.endpoint) return false;
  // stream-shape faults only make sense once a stream starts, so they never fire (nor get
  // consumed) on the pre-response lookup, and pre-response faults never fire mid-stream
  if (STREAM_ACTIONS.has(rule.action.type) !== (query.phase === 'stream')) return false;
  if (rule.stream !== undefined && rule.stream !== query.stream) return false;
  if (rule.grantType !== undefined && rule.grantType !== query.grantType) return false;
  if (rule.bearer !== undefined && rule.bearer !== query.bearer) return false;
  return true;
}

/** Creates an empty fault queue; each rule fires on its next `times` (default 1) matches. */
export function createFaultQueue(): FaultQueue {
  const rules: Array<{ rule: FaultRule; remaining: number }> = [];
  return {
    push(rule) {
      const remaining = rule.times ?? 1;
      if (!(remaining > 0)) throw new RangeError('fault `times` must be positive');
      rules.push({ rule, remaining });
    },
    take(query) {
      const index = rules.findIndex((entry) => matches(entry.rule, query));
      if (index < 0) return undefined;
      const entry = rules[index]!;
      entry.remaining -= 1;
      if (entry.remaining <= 0) rules.splice(index, 1);
      return entry.rule.action;
    },
    clear() {
      rules.length = 0;
    },
    get size() {
      return rules.length;
    },
  };
}
