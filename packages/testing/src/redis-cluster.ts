import { redisCli } from './redis-cli.js';
import { startRedis, type RedisServer } from './redis-server.js';
import { waitFor } from './wait-for.js';

export interface RedisCluster {
  nodes: RedisServer[];
  /** `host:port,…` of every node (REDIS_CLUSTER_NODES). */
  nodeList: string;
  stop(): Promise<void>;
}

/**
 * A Redis Cluster of `masters` nodes on loopback (no replicas), created the way an operator does:
 * `cluster-enabled yes` on each node, then `redis-cli --cluster create … --cluster-yes`.
 */
export async function startRedisCluster(opts: { masters?: number } = {}): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  for (let i = 0; i < (opts.masters ?? 3); i++)
    nodes.push(
      await startRedis({
        args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'],
      }),
    );
  const first = nodes[0].port;
  await redisCli(
    first,
    '--cluster',
    'create',
    ...nodes.map((n) => `127.0.0.1:${n.port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  );
  await waitFor(
    async () => {
      for (const n of nodes)
        if (!(await redisCli(n.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
      return true;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: 'cluster_state:ok on every node' },
  );
  return {
    nodes,
    nodeList: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
