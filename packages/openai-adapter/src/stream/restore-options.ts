/** How a stream transform continues from a state it is given. */
export interface RestoreOptions {
  /**
   * Continue on the state object itself instead of a copy (default false: a copy, so the
   * caller's object is never changed). For a caller that hands over a fresh state and keeps no
   * reference to it, e.g. an inline runner starting a stream: no deep copy of the request's
   * context per stream.
   */
  adopt?: boolean;
}
