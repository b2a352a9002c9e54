import { execFile } from 'node:child_process';

/** One redis-cli command against a loopback port; resolves with its raw output. */
export function redisCli(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'redis-cli',
      ['-h', '127.0.0.1', '-p', String(port), ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`redis-cli ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim()),
    ),
  );
}
