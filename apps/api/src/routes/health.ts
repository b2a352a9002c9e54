import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Metrics } from '@tracefleet/telemetry';

export async function healthRoutes(app: FastifyInstance, deps: { redis: Redis; metrics: Metrics }): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_req, reply) => {
    const redis = await deps.redis.ping().then(
      () => true,
      () => false,
    );
    return reply.status(redis ? 200 : 503).send({ status: redis ? 'ready' : 'unavailable', redis });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
