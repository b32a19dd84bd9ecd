/**
 * What copying an object with a spread costs, by the shape of the literal. On Node 20 (V8 11) a
 * member added after a leading spread of a non-empty object (`{ ...options, endpoint }`, two
 * conditional spreads that are both set, `{ ...copy }` then `copy.added = …`) takes a slow path:
 * about 0.5–1.7 µs, against ~20–90 ns for the other shapes and for every shape on Node 22. The
 * proxy's request path avoids those shapes (issue 18, tenth pass): arguments of their own
 * instead of merged options, named fields instead of a spread of a result, and
 * `{ ...NO_MEMBERS, ...source, added }` (an empty object spread first) where a copy must grow.
 *
 * Usage: node bench/micro/object-spread.mjs; npx -y -p node@22 node bench/micro/object-spread.mjs
 */
const NO_MEMBERS = Object.freeze({});
const ITERATIONS = 1_000_000;
const ROUNDS = 5;

const makeOptions = (i) => ({ payload: i, signal: null, requestId: 'r', preferAccountId: 'a' });
const accept = () => true;
const rank = (candidates) => candidates;

const shapes = {
  '{ ...source }': (i) => ({ ...makeOptions(i) }),
  '{ ...source, existing }': (i) => ({ ...makeOptions(i), requestId: 'x' }),
  '{ ...source, added }': (i) => ({ ...makeOptions(i), endpoint: 'chat' }),
  '{ ...source, a, b, c } (added)': (i) => ({ ...makeOptions(i), a: 1, b: 2, c: 3 }),
  '{ ...source } then copy.added =': (i) => {
    const copy = { ...makeOptions(i) };
    copy.endpoint = 'chat';
    return copy;
  },
  '{ ...(a ? {a} : {}), ...(b ? {b} : {}) } (both)': () => ({
    ...(accept === undefined ? {} : { accept }),
    ...(rank === undefined ? {} : { rank }),
  }),
  '{ ...NO_MEMBERS, ...source, added }': (i) => ({
    ...NO_MEMBERS,
    ...makeOptions(i),
    endpoint: 'chat',
  }),
  '{ added, ...source }': (i) => ({ endpoint: 'chat', ...makeOptions(i) }),
  'two arguments, no copy': (i) => [makeOptions(i), 'chat'],
};

let sink = 0;
console.log(`node ${process.version}: ns per literal (median of ${ROUNDS} rounds × ${ITERATIONS})`);
for (const [label, make] of Object.entries(shapes)) {
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const startedAt = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) sink += make(i) === null ? 0 : 1;
    rounds.push(Number(process.hrtime.bigint() - startedAt) / ITERATIONS);
  }
  rounds.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} ${rounds[Math.floor(ROUNDS / 2)].toFixed(1).padStart(8)}`);
}
if (sink === 0) console.log('(nothing ran)');
