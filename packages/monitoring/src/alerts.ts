import { randomBytes, randomUUID } from 'node:crypto';
import type { RedisClient } from '@tracefleet/redis';
import { minuteOf, monitorKeys } from './keys.js';
import { DEFAULT_THRESHOLDS, evaluateRules, type AlertCondition, type AlertThresholds } from './rules.js';
import { readCircuits, readMinutes } from './series.js';

export interface ActiveAlert extends AlertCondition {
  since: number;
  traceId: string;
}

export interface AlertLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface AlertEngineOptions {
  prefix: string;
  logger: AlertLogger;
  thresholds?: Partial<AlertThresholds>;
  webhookUrl?: string;
  intervalMs?: number;
  now?: () => number;
  /** Trace id of the current span, when tracing is on; a fresh id otherwise, so log and webhook correlate. */
  traceId?: () => string | undefined;
  /** Wraps each timed evaluation (the API runs it inside a span). */
  around?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Evaluates the alert rules on the shared buckets. Active alerts live in Redis so every API
 * instance's dashboard shows them; a short lock makes one instance evaluate per interval, so a
 * transition is logged and POSTed once for the fleet.
 */
export class AlertEngine {
  readonly thresholds: AlertThresholds;
  private readonly keys;
  private readonly now: () => number;
  private readonly instance = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly opts: AlertEngineOptions,
  ) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
    this.keys = monitorKeys(opts.prefix);
    this.now = opts.now ?? Date.now;
  }

  async active(): Promise<ActiveAlert[]> {
    const all = await this.redis.hgetall(this.keys.alerts);
    return Object.values(all)
      .map((v) => JSON.parse(v) as ActiveAlert)
      .sort((a, b) => a.since - b.since);
  }

  /** One evaluation: fires new conditions, resolves cleared ones. */
  async evaluate(): Promise<{ fired: ActiveAlert[]; resolved: ActiveAlert[] }> {
    const now = this.now();
    const t = this.thresholds;
    const to = minuteOf(now);
    const [minutes, circuits, previous] = await Promise.all([
      readMinutes(this.redis, this.opts.prefix, to - t.windowMinutes - t.baselineMinutes + 1, to),
      readCircuits(this.redis, this.opts.prefix, now),
      this.active(),
    ]);
    const conditions = evaluateRules({ minutes, circuits }, t);
    const before = new Map(previous.map((a) => [a.id, a]));
    const fired: ActiveAlert[] = [];
    const resolved: ActiveAlert[] = [];
    const p = this.redis.pipeline();
    for (const c of conditions) {
      const old = before.get(c.id);
      const alert: ActiveAlert = {
        ...c,
        since: old?.since ?? now,
        traceId: old?.traceId ?? this.opts.traceId?.() ?? randomBytes(16).toString('hex'),
      };
      p.hset(this.keys.alerts, c.id, JSON.stringify(alert));
      if (!old) fired.push(alert);
      before.delete(c.id);
    }
    for (const old of before.values()) {
      p.hdel(this.keys.alerts, old.id);
      resolved.push(old);
    }
    await p.exec();
    for (const a of fired) {
      this.opts.logger.warn(
        { alert: a.id, severity: a.severity, value: a.value, threshold: a.threshold, trace_id: a.traceId },
        `alert firing: ${a.summary}`,
      );
      await this.notify('firing', a);
    }
    for (const a of resolved) {
      this.opts.logger.info({ alert: a.id, trace_id: a.traceId, firedFor: now - a.since }, `alert resolved: ${a.id}`);
      await this.notify('resolved', { ...a });
    }
    return { fired, resolved };
  }

  private async notify(status: 'firing' | 'resolved', alert: ActiveAlert): Promise<void> {
    if (!this.opts.webhookUrl) return;
    try {
      const res = await fetch(this.opts.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status, alert, at: new Date(this.now()).toISOString(), source: 'tracefleet' }),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      if (!res.ok)
        this.opts.logger.warn(
          { alert: alert.id, status: res.status, trace_id: alert.traceId },
          'alert webhook refused',
        );
    } catch (err) {
      this.opts.logger.warn(
        { alert: alert.id, err: (err as Error).message, trace_id: alert.traceId },
        'alert webhook failed',
      );
    }
  }

  /** Evaluates unless another instance did within this interval. */
  async tick(): Promise<void> {
    const interval = this.opts.intervalMs ?? 15_000;
    const got = await this.redis.set(this.keys.alertLock, this.instance, 'PX', Math.max(1000, interval - 500), 'NX');
    if (got === 'OK') await this.evaluate();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      const run = () => this.tick();
      this.running = (this.opts.around ? this.opts.around(run) : run())
        .catch((err) => this.opts.logger.warn({ err: (err as Error).message }, 'alert evaluation failed'))
        .finally(() => (this.running = undefined));
    }, this.opts.intervalMs ?? 15_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
