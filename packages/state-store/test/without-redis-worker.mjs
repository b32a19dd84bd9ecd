// a separate OS process in which node-redis cannot be loaded (used by create-state-store.test.ts):
// the file store must work there, and a Redis store must report itself unavailable
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'redis' || specifier.startsWith('@redis/')) {
    const error = new Error('node-redis is not loadable in this test');
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return nextResolve(specifier, context);
}`)}`,
);

const { createStateStore } = await import('../dist/index.js');
const [directory] = process.argv.slice(2);
const fileStore = createStateStore({ directory });
await fileStore.increment({ key: 'counted', by: 2 });
const counted = await fileStore.get('counted');
await fileStore.close();

const redisStore = createStateStore({ directory, redisUrl: 'redis://127.0.0.1:1' });
const redisError = await redisStore.get('x').then(
  () => undefined,
  (error) => ({ code: error.code, message: error.message }),
);
await redisStore.close();
process.stdout.write(JSON.stringify({ fileKind: fileStore.kind, counted, redisError }));
