export { freePort } from './free-port.js';
export { startRedis, type RedisServer } from './redis-server.js';
export { waitFor } from './wait-for.js';
