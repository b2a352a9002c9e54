import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';
import { redisCli } from './redis-cli.js';
import { ping, startRedis, type RedisServer } from './redis-server.js';
import { waitFor } from './wait-for.js';

export interface SentinelGroup {
  /** The monitored master name (REDIS_SENTINEL_NAME). */
  name: string;
  /** `host:port,…` of the sentinels (REDIS_SENTINELS). */
  sentinels: string;
  sentinelPorts: number[];
  /** The two data nodes; which one is master changes with failovers. */
  nodes: RedisServer[];
  /** Port of the master as the sentinels see it now. */
  masterPort(): Promise<number>;
  /** The data node that is master now. */
  master(): Promise<RedisServer>;
  /** `SENTINEL FAILOVER`: a planned promotion of the replica; resolves when the sentinels name the new master. */
  failover(): Promise<number>;
  /** Resolves with the new master's port once the sentinels have promoted another node than `oldPort`. */
  waitForNewMaster(oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A Sentinel setup on loopback, as an operator would run it with Debian's packages: one master, one
 * replica, three sentinels (quorum 2), with short timeouts so a test sees a failover within seconds
 * (down after 1 s, failover timeout 5 s).
 */
export async function startSentinelGroup(opts: { name?: string } = {}): Promise<SentinelGroup> {
  const name = opts.name ?? 'tfmaster';
  const master = await startRedis();
  const replica = await startRedis({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  const nodes = [master, replica];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefleet-sentinel-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = path.join(dir, `sentinel-${i}.conf`);
    fs.writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        'protected-mode no',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const child = spawn('redis-sentinel', [conf], { stdio: 'ignore' });
    child.once('error', () => undefined);
    children.push(child);
    ports.push(port);
  }
  const ask = async (...args: string[]) => {
    for (const p of ports) {
      const out = await redisCli(p, 'SENTINEL', ...args).catch(() => undefined);
      if (out) return out;
    }
    throw new Error('no sentinel answered');
  };
  const masterPort = async () => Number((await ask('get-master-addr-by-name', name)).split('\n')[1]);
  // Ready for a failover: every sentinel knows the replica and the two other sentinels.
  await waitFor(() => Promise.all(ports.map(ping)).then((ok) => ok.every(Boolean)), { what: 'sentinels up' });
  await waitFor(
    async () => {
      for (const p of ports) {
        const replicas = await redisCli(p, 'SENTINEL', 'replicas', name);
        const peers = await redisCli(p, 'SENTINEL', 'sentinels', name);
        if (!replicas.includes(String(replica.port)) || (peers.match(/^name$/gm) ?? []).length < 2) return false;
        if (!/master_link_status:up/.test(await redisCli(replica.port, 'INFO', 'replication'))) return false;
      }
      return true;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'sentinels to discover the replica and each other' },
  );
  const waitForNewMaster = (oldPort: number, timeoutMs = 30_000) =>
    waitFor(
      async () => {
        const port = await masterPort();
        if (port === oldPort) return undefined;
        // Promoted: the node itself says so.
        return /role:master/.test(await redisCli(port, 'INFO', 'replication')) ? port : undefined;
      },
      { timeoutMs, intervalMs: 100, what: 'a new master' },
    ).then(Number);
  return {
    name,
    sentinels: ports.map((p) => `127.0.0.1:${p}`).join(','),
    sentinelPorts: ports,
    nodes,
    masterPort,
    async master() {
      const port = await masterPort();
      return nodes.find((n) => n.port === port)!;
    },
    async failover() {
      const old = await masterPort();
      await ask('failover', name);
      return waitForNewMaster(old);
    },
    waitForNewMaster,
    async stop() {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(nodes.map((n) => n.stop()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
