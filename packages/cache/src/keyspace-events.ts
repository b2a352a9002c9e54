import type { Redis } from 'ioredis';

/**
 * Redis announces its own expiries and evictions as keyspace notifications, when
 * `notify-keyspace-events` asks for them: `E` (key-event channels), `x` (expired), `e` (evicted).
 * They arrive on `__keyevent@<db>__:expired` / `:evicted` with the Redis key as the message.
 */
export type KeyEvent = 'expired' | 'evicted';

export const KEY_EVENTS: readonly KeyEvent[] = ['expired', 'evicted'];

export function keyEventChannel(db: number, event: KeyEvent): string {
  return `__keyevent@${db}__:${event}`;
}

/** The event a key-event channel carries; undefined for any other channel. */
export function keyEventOf(channel: string): KeyEvent | undefined {
  const m = /^__keyevent@\d+__:(expired|evicted)$/.exec(channel);
  return m ? (m[1] as KeyEvent) : undefined;
}

/**
 * The current flags with what we need added, keeping whatever else is set (another application may
 * rely on it). `A` already includes `x` and `e`. Undefined = nothing to add.
 */
export function mergeKeyEventFlags(current: string): string | undefined {
  const need = ['E', ...(current.includes('A') ? [] : ['x', 'e'])].filter((f) => !current.includes(f));
  return need.length ? current + need.join('') : undefined;
}

/** Redis would not tell its configuration or take the flags (managed Redis often disables CONFIG). */
export class KeyEventsConfigError extends Error {
  override name = 'KeyEventsConfigError';
}

export type KeyEventsSetup = { ok: true; flags: string; changed: boolean } | { ok: false; error: KeyEventsConfigError };

/**
 * Adds the flags with CONFIG GET + CONFIG SET on a short-lived connection of its own to the node of
 * `base` (one node: a cluster's masters are configured one by one): the cache's connection fails
 * fast without an offline queue, and the bus's subscriber cannot send CONFIG. Never throws: a
 * refusal is a value.
 */
export async function enableKeyEvents(base: Redis): Promise<KeyEventsSetup> {
  const conn = base.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    retryStrategy: () => null,
    lazyConnect: false,
    connectionName: 'tracefleet-cache-config',
  });
  conn.on('error', () => undefined);
  try {
    const reply = (await conn.config('GET', 'notify-keyspace-events')) as string[];
    const current = reply[1] ?? '';
    const next = mergeKeyEventFlags(current);
    if (next !== undefined) await conn.config('SET', 'notify-keyspace-events', next);
    return { ok: true, flags: next ?? current, changed: next !== undefined };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      error: new KeyEventsConfigError(
        `cannot set notify-keyspace-events (set it to include "Exe" in the server configuration): ${detail}`,
        { cause: err },
      ),
    };
  } finally {
    conn.disconnect();
  }
}
