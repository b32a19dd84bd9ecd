/** Stops one request: its upstream call is aborted and the client is told `reason`. */
export type RequestStop = (reason: Error) => void;

/** A request's place among the stoppers, handed back by `add` to remove it. */
export interface RequestStopperEntry {
  /** cleared on removal: a removed entry holds nothing of its request */
  stop: RequestStop | undefined;
  previous: RequestStopperEntry | undefined;
  next: RequestStopperEntry | undefined;
}

/** How to stop each request still being answered (graceful shutdown past its grace period). */
export interface RequestStoppers {
  /** registers a request's stop; remove the entry once the request's response has closed */
  add(stop: RequestStop): RequestStopperEntry;
  /** unregisters the entry (again: nothing) */
  remove(entry: RequestStopperEntry): void;
  /** the stops registered now, oldest first (a stop may remove its entry while the list is used) */
  list(): RequestStop[];
}

/**
 * Creates the registry: a doubly linked list, not a `Set`. A `Set` that lives as long as the
 * server and gains and loses an entry with every request keeps finished requests alive: once its
 * table is in the old generation, V8 allocates each rehashed table (every few adds and deletes)
 * there too, and a replaced table keeps the entries it held until the next full collection.
 * Scavenges treat those dead tables as roots, so every request in flight at a rehash (its stop,
 * and through it the whole request) is copied and then promoted: 4.2 KB per stream against 1.5 KB
 * without the `Set`, three times the scavenge time (docs/design.md §11). A removed list entry is
 * unlinked and cleared, and nothing else ever pointed to it.
 */
export function createRequestStoppers(): RequestStoppers {
  let first: RequestStopperEntry | undefined;
  let last: RequestStopperEntry | undefined;
  return {
    add(stop) {
      const entry: RequestStopperEntry = { stop, previous: last, next: undefined };
      if (last === undefined) first = entry;
      else last.next = entry;
      last = entry;
      return entry;
    },
    remove(entry) {
      if (entry.stop === undefined) return;
      const { previous, next } = entry;
      if (previous === undefined) first = next;
      else previous.next = next;
      if (next === undefined) last = previous;
      else next.previous = previous;
      entry.stop = undefined;
      entry.previous = undefined;
      entry.next = undefined;
    },
    list() {
      const stops: RequestStop[] = [];
      for (let entry = first; entry !== undefined; entry = entry.next) {
        if (entry.stop !== undefined) stops.push(entry.stop);
      }
      return stops;
    },
  };
}
