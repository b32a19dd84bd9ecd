/** One minute of API traffic. */
export interface TrafficMinute {
  /** epoch ms at which the minute started */
  readonly startedAtInMs: number;
  readonly requests: number;
  readonly errors: number;
}

/** Requests and errors per minute over the last hour, in a fixed ring of minute slots. */
export interface TrafficHistory {
  /** counts one answered request in the minute of `atInMs` */
  record(options: { atInMs: number; isError: boolean }): void;
  /** the last `minutes` minutes up to and including the one of `nowInMs`, oldest first */
  list(options: { nowInMs: number }): TrafficMinute[];
}

const MINUTE_IN_MS = 60_000;

/**
 * Creates the per-minute ring buffer behind the status page chart. Each slot remembers which
 * minute it holds, so a slot left over from an earlier hour reads as zero instead of being
 * cleared by a timer; memory stays constant whatever the traffic.
 */
export function createTrafficHistory({ minutes = 60 }: { minutes?: number } = {}): TrafficHistory {
  const minuteOfSlot = new Float64Array(minutes).fill(-1);
  const requests = new Uint32Array(minutes);
  const errors = new Uint32Array(minutes);

  return {
    record({ atInMs, isError }) {
      const minute = Math.floor(atInMs / MINUTE_IN_MS);
      const slot = minute % minutes;
      if (minuteOfSlot[slot] !== minute) {
        minuteOfSlot[slot] = minute;
        requests[slot] = 0;
        errors[slot] = 0;
      }
      requests[slot] = (requests[slot] ?? 0) + 1;
      if (isError) errors[slot] = (errors[slot] ?? 0) + 1;
    },
    list({ nowInMs }) {
      const currentMinute = Math.floor(nowInMs / MINUTE_IN_MS);
      const result: TrafficMinute[] = [];
      for (let minute = currentMinute - minutes + 1; minute <= currentMinute; minute++) {
        const slot = minute % minutes;
        const held = minuteOfSlot[slot] === minute;
        result.push({
          startedAtInMs: minute * MINUTE_IN_MS,
          requests: held ? (requests[slot] ?? 0) : 0,
          errors: held ? (errors[slot] ?? 0) : 0,
        });
      }
      return result;
    },
  };
}
