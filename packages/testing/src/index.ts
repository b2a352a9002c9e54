export { freePort } from './free-port.js';
export { ping, startRedis, type RedisServer } from './redis-server.js';
export { redisCli } from './redis-cli.js';
export { startSentinelGroup, type SentinelGroup } from './sentinel-group.js';
export { startRedisCluster, type RedisCluster } from './redis-cluster.js';
export { waitFor } from './wait-for.js';
