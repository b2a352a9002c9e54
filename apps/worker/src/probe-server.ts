import http from 'node:http';
import type { Worker } from 'bullmq';
import { checkWritable, type RedisClient } from '@tracefleet/redis';
import type { Metrics } from '@tracefleet/telemetry';
import type { LivenessMonitor } from './liveness.js';

/**
 * The worker's small HTTP face: /health (process alive), /ready (the queue Redis takes writes —
 * ROLE master — and the worker is consuming), /live (fails when the worker has stopped consuming while jobs wait: restart it),
 * /metrics (Prometheus).
 */
export function startProbeServer(
  port: number,
  host: string,
  deps: { worker: Worker; redis: RedisClient; metrics: Metrics; liveness?: LivenessMonitor },
): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    try {
      if (req.url === '/health') return send(200, JSON.stringify({ status: 'ok' }));
      if (req.url === '/ready') {
        // Bounded inside: the worker connection queues commands while Redis is away.
        const { writable, nodes } = await checkWritable(deps.redis, 1000);
        const running = deps.worker.isRunning();
        const ok = writable && running;
        return send(
          ok ? 200 : 503,
          JSON.stringify({
            status: ok ? 'ready' : 'unavailable',
            redis: writable,
            redisNodes: nodes,
            consuming: running,
          }),
        );
      }
      if (req.url === '/live' && deps.liveness) {
        const report = await deps.liveness.check();
        return send(report.live ? 200 : 503, JSON.stringify(report));
      }
      if (req.url === '/metrics')
        return send(200, await deps.metrics.registry.metrics(), deps.metrics.registry.contentType);
      send(404, JSON.stringify({ error: { code: 'NOT_FOUND', message: 'not found' } }));
    } catch (err) {
      send(500, JSON.stringify({ error: { code: 'INTERNAL', message: (err as Error).message } }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
