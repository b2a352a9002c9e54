export { redisOptions, reconnectOnError, retryDelay, queuesOffline, type ConnectionRole } from './options.js';
export { createRedisClient, duplicateAs, isCluster, type ClientHooks, type RedisClient } from './client.js';
export { masters, nodeId, scanMasters, unlinkEach, unlinkMatching } from './masters.js';
export { checkWritable, type WritableReport } from './writable.js';
export { describeTarget } from './describe.js';
