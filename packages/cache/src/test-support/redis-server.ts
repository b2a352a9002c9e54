import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RedisServer } from '@tracefleet/testing';

/**
 * One redis-server for the calling test file (started before its tests, stopped after), and
 * clients to it (or tracked ones made elsewhere) that are disconnected at the end.
 */
export function useRedisServer(): { url: () => string; client: () => Redis; track: (c: Redis) => Redis } {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });
  const url = () => server!.url;
  const track = (c: Redis) => {
    clients.push(c);
    return c;
  };
  return { url, track, client: () => track(new Redis(url())) };
}
