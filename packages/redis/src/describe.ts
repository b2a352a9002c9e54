import type { RedisTarget } from '@tracefleet/config';

/** For logs: where a target points, without credentials. */
export function describeTarget(target: RedisTarget): string {
  const list = (l: ReadonlyArray<{ host: string; port: number }>) => l.map((n) => `${n.host}:${n.port}`).join(',');
  if (target.mode === 'sentinel') return `sentinel:${target.name}@${list(target.sentinels)}`;
  if (target.mode === 'cluster') return `cluster:${list(target.nodes)}`;
  try {
    const u = new URL(target.url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return 'redis:<unparsable url>';
  }
}
