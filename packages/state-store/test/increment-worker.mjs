// a separate OS process incrementing one counter of a file store (used by the file store tests)
import { createFileStateStore } from '../dist/index.js';

const [directory, count] = process.argv.slice(2);
const store = createFileStateStore({ directory });
const pending = [];
for (let index = 0; index < Number(count); index += 1) {
  pending.push(store.increment({ key: 'shared' }));
  // interleave with the other process instead of one batch
  if (index % 10 === 0) await Promise.all(pending.splice(0));
}
await Promise.all(pending);
await store.close();
