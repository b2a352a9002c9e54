import type { FastifyInstance } from 'fastify';
import { checkWritable, type RedisClient } from '@tracefleet/redis';
import { redisAcceptsWrites } from '@tracefleet/queue';
import type { Metrics } from '@tracefleet/telemetry';

export interface HealthDeps {
  redis: RedisClient;
  metrics: Metrics;
  /** Key the readiness write probe sets (short expiry). */
  writeProbeKey: string;
}

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));

  // Ready = the queue Redis takes writes (ROLE master), not merely answers: a demoted master or a
  // sentinel answers PING too. `redis` stays a boolean for existing probes; `redisNodes` says why.
  app.get('/ready', async (_req, reply) => {
    // The node must be a master (ROLE, on every master of a cluster) and accept a write: a Redis
    // that answers PING but refuses writes (OOM, READONLY after a failover) cannot take a conversion.
    const { writable: master, nodes } = await checkWritable(deps.redis);
    const writable = master && (await redisAcceptsWrites(deps.redis, deps.writeProbeKey));
    return reply
      .status(writable ? 200 : 503)
      .send({ status: writable ? 'ready' : 'unavailable', redis: master, writable, redisNodes: nodes });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
