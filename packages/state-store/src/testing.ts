export {
  hasRedisServer,
  type RedisServerHandle,
  skipRedisTests,
  startRedisServer,
} from './testing/start-redis-server';
