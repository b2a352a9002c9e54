import type { FastifyInstance } from 'fastify';
import { checkWritable, type RedisClient } from '@tracefleet/redis';
import type { Metrics } from '@tracefleet/telemetry';

export async function healthRoutes(
  app: FastifyInstance,
  deps: { redis: RedisClient; metrics: Metrics },
): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));

  // Ready = the queue Redis takes writes (ROLE master), not merely answers: a demoted master or a
  // sentinel answers PING too. `redis` stays a boolean for existing probes; `redisNodes` says why.
  app.get('/ready', async (_req, reply) => {
    const { writable, nodes } = await checkWritable(deps.redis);
    return reply
      .status(writable ? 200 : 503)
      .send({ status: writable ? 'ready' : 'unavailable', redis: writable, redisNodes: nodes });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
