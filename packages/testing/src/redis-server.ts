import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** SIGTERM (AOF is flushed) and wait for exit. */
  stop(): Promise<void>;
  /** kill -9: what a crash looks like. */
  kill(): Promise<void>;
  /** Start again on the same port and data directory. */
  start(): Promise<void>;
}

export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.setTimeout(500);
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/**
 * A private redis-server for tests and demos, configured as BullMQ wants in production:
 * noeviction, AOF with fsync every second.
 */
export async function startRedis(
  opts: {
    port?: number;
    dir?: string;
    /** Extra redis-server arguments (replicaof, cluster-enabled…). */ args?: string[];
  } = {},
): Promise<RedisServer> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tracefleet-redis-'));
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--protected-mode',
        'no',
        ...(opts.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    const spawned = child;
    const failed = new Promise<never>((_, reject) =>
      spawned.once('error', (e) => reject(new Error(`cannot start redis-server (is it installed?): ${e.message}`))),
    );
    for (let i = 0; i < 100; i++) {
      const ready = await Promise.race([ping(port), failed]);
      if (ready) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  };

  const waitExit = (c: ChildProcess | undefined) =>
    new Promise<void>((resolve) => {
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
    });

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    async stop() {
      const c = child;
      c?.kill('SIGTERM');
      await waitExit(c);
    },
    async kill() {
      const c = child;
      c?.kill('SIGKILL');
      await waitExit(c);
    },
    start,
  };
}
