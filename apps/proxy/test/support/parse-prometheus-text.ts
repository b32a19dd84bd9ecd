/** One sample of the Prometheus text format. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/**
 * A small strict parser of the Prometheus text exposition format (0.0.4): every line must be a
 * `# HELP`, a `# TYPE`, a blank line or a sample; anything else throws with the line.
 */
export function parsePrometheusText(text: string): {
  samples: PrometheusSample[];
  types: Map<string, string>;
} {
  const samples: PrometheusSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      if (
        name === undefined ||
        !['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type ?? '')
      ) {
        throw new Error(`bad TYPE line: ${line}`);
      }
      types.set(name, type ?? '');
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    if (match === null) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = match[3] ?? '';
    LABEL_PAIR.lastIndex = 0;
    while (LABEL_PAIR.lastIndex < labelText.length) {
      const pair = LABEL_PAIR.exec(labelText);
      if (pair === null) throw new Error(`bad labels in: ${line}`);
      labels[pair[1] ?? ''] = pair[2] ?? '';
    }
    const rawValue = match[4] ?? '';
    const value =
      rawValue === '+Inf'
        ? Number.POSITIVE_INFINITY
        : rawValue === '-Inf'
          ? Number.NEGATIVE_INFINITY
          : Number(rawValue);
    if (Number.isNaN(value) && rawValue !== 'NaN') throw new Error(`bad value in: ${line}`);
    samples.push({ name: match[1] ?? '', labels, value });
  }
  return { samples, types };
}

/** Sum of the samples of `name` whose labels include `labels`. */
export function sumSamples(
  samples: readonly PrometheusSample[],
  name: string,
  labels: Record<string, string> = {},
): number {
  return samples
    .filter(
      (sample) =>
        sample.name === name &&
        Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((total, sample) => total + sample.value, 0);
}
