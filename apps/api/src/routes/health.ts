import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { redisAcceptsWrites } from '@tracefleet/queue';
import type { Metrics } from '@tracefleet/telemetry';

export interface HealthDeps {
  redis: Redis;
  metrics: Metrics;
  /** Key the readiness write probe sets (short expiry). */
  writeProbeKey: string;
}

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_req, reply) => {
    const redis = await deps.redis.ping().then(
      () => true,
      () => false,
    );
    // A Redis that answers PING but refuses writes (OOM, READONLY) cannot take a conversion.
    const writable = redis && (await redisAcceptsWrites(deps.redis, deps.writeProbeKey));
    const ok = redis && writable;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', redis, writable });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
