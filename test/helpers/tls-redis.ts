import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor, type RedisServer } from '@tracefleet/testing';

/**
 * A redis-server that speaks only TLS (self-signed CA, certificate for 127.0.0.1) and requires a
 * password, configured like production (AOF everysec, noeviction). Clients trust the CA through
 * NODE_EXTRA_CA_CERTS=`caFile`, as a deployment with a private CA would.
 */
export async function startTlsRedis(password: string): Promise<RedisServer & { caFile: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefleet-tls-redis-'));
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=tracefleet-test-ca',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    f('redis.key'),
    '-out',
    f('redis.csr'),
  );
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('redis.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    f('ext.cnf'),
    '-out',
    f('redis.pem'),
  );
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--tls-cert-file',
        f('redis.pem'),
        '--tls-key-file',
        f('redis.key'),
        '--tls-ca-cert-file',
        f('ca.pem'),
        '--tls-auth-clients',
        'no',
        '--requirepass',
        password,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => {
            s.destroy();
            resolve(true);
          });
          s.once('error', () => resolve(false));
        }),
      { timeoutMs: 10_000, what: 'TLS redis-server' },
    );
  };
  const stop = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill(signal);
    await new Promise((r) => c.once('exit', r));
  };
  await start();
  return {
    port,
    url: `rediss://:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    dir,
    caFile: f('ca.pem'),
    stop: () => stop('SIGTERM'),
    kill: () => stop('SIGKILL'),
    start,
  };
}
