import { isCluster, type RedisClient } from './client.js';
import { masters, nodeId } from './masters.js';

export interface WritableReport {
  /** Every data node answered ROLE with `master`: writes are accepted. */
  writable: boolean;
  /** Per node (`host:port`): its role, or why it did not answer. */
  nodes: Record<string, string>;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

/**
 * Readiness of a Redis for this fleet: PING is not enough, a demoted master (or a sentinel, named by
 * mistake) answers it too. ROLE must say `master` on the node the client writes to, or on every
 * master of a cluster. Bounded: a blocking client queues commands while disconnected.
 */
export async function checkWritable(client: RedisClient, timeoutMs = 1000): Promise<WritableReport> {
  if (isCluster(client) && client.status !== 'ready') return { writable: false, nodes: { cluster: client.status } };
  const nodes: Record<string, string> = {};
  const targets = masters(client);
  const roles = await Promise.all(
    targets.map((node) =>
      withTimeout(node.call('ROLE') as Promise<unknown[]>, timeoutMs).then(
        (reply) => String(reply[0]),
        (err: Error) => `error: ${err.message}`,
      ),
    ),
  );
  // A plain client reports its URL's host; the sentinel-resolved master is where it is connected.
  targets.forEach((node, i) => (nodes[isCluster(client) ? nodeId(node) : 'redis'] = roles[i]));
  return { writable: roles.length > 0 && roles.every((r) => r === 'master'), nodes };
}
