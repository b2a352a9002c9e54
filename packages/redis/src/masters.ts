import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from './client.js';

/**
 * The connections that hold data: each master of a cluster, or the client itself. Scans, purges and
 * keyspace notifications are per node, so they go to every one of these.
 */
export function masters(client: RedisClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}

/** `host:port` of a node connection (stable across reconnects of the same node). */
export const nodeId = (node: Redis) => `${node.options.host}:${node.options.port}`;

/** Every key matching `match` on every master, a batch at a time, with the node that holds it. */
export async function* scanMasters(
  client: RedisClient,
  match: string,
  count = 500,
): AsyncIterable<{ node: Redis; keys: string[] }> {
  for (const node of masters(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', count);
      cursor = next;
      if (keys.length) yield { node, keys };
    } while (cursor !== '0');
  }
}

/**
 * Unlinks keys one command each, pipelined: a multi-key UNLINK is refused across slots even on one
 * node. A key that moved meanwhile (MOVED) is not counted.
 */
export async function unlinkEach(node: Redis | RedisClient, keys: readonly string[]): Promise<number> {
  if (!keys.length) return 0;
  if (isCluster(node)) {
    // Keys of many slots: one command each, routed by the cluster client.
    const res = await Promise.allSettled(keys.map((k) => node.unlink(k)));
    return res.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0);
  }
  const p = node.pipeline();
  for (const k of keys) p.unlink(k);
  const res = (await p.exec()) ?? [];
  return res.reduce((n, [err, v]) => n + (err ? 0 : Number(v)), 0);
}

/** Unlinks every key matching `match` on every master; the number removed. */
export async function unlinkMatching(client: RedisClient, match: string): Promise<number> {
  let n = 0;
  for await (const { node, keys } of scanMasters(client, match)) n += await unlinkEach(node, keys);
  return n;
}
