/**
 * Events of the proxy's cluster-mode token source (OAuth credentials shared on the state
 * store); plain objects that never contain secrets. The proxy's log and metrics seam switches
 * over them exhaustively, like over `RelayEvent`.
 */
export type SharedTokenEvent =
  | { type: 'shared-refresh-started'; accountId: string; replicaId: string }
  | { type: 'shared-refresh-succeeded'; accountId: string; version: number; durationInMs: number }
  | { type: 'shared-refresh-failed'; accountId: string; message: string }
  | {
      type: 'shared-token-adopted';
      accountId: string;
      version: number;
      source: 'publication' | 'store';
    }
  | { type: 'shared-needs-reauth'; accountId: string }
  /** the store had lost the record (Redis restarted empty) and this replica wrote it back */
  | { type: 'shared-record-restored'; accountId: string; version: number };

/** The `type` of every shared token event. */
export type SharedTokenEventType = SharedTokenEvent['type'];
