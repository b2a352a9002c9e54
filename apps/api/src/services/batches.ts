import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@tracefleet/redis';
import { toTracefleetError } from '@tracefleet/errors';
import type { ConvertOptions } from '@tracefleet/contract';
import { redisCall, type ConversionService, type ConversionView } from './conversions.js';

/** One file of a batch: its job, or the error that refused it at submission. */
export interface BatchItem {
  file: string;
  id?: string;
  error?: { code: string; message: string };
}

export interface BatchView {
  id: string;
  createdAt: number;
  total: number;
  /** Jobs per state; files refused at submission count as `failed`. */
  counts: Record<string, number>;
  done: boolean;
  jobs: Array<{ file: string } & Partial<ConversionView>>;
}

/**
 * A batch is a list of ordinary conversion jobs (one per file, content-addressed as usual) whose ids
 * are kept under one batch id in Redis for JOB_TTL_SECONDS, so a client can follow them together.
 * With API keys a batch belongs to the key that submitted it: any other key gets 404.
 */
export class BatchService {
  constructor(
    private readonly d: { service: ConversionService; redis: RedisClient; queuePrefix: string; ttlSeconds: number },
  ) {}

  private key(id: string) {
    return `${this.d.queuePrefix}:batch:${id}`;
  }

  /** Submits one file: bad input is recorded as a typed error, Redis trouble aborts the batch (503). */
  async submit(file: string, bytes: Buffer, options: ConvertOptions, tenant?: string): Promise<BatchItem> {
    try {
      return { file, id: (await this.d.service.submit(bytes, options, tenant)).id };
    } catch (err) {
      const e = toTracefleetError(err, 'INVALID_IMAGE');
      if (!e.permanent) throw e;
      return { file, error: e.toJSON() };
    }
  }

  async save(items: BatchItem[], tenant?: string): Promise<string> {
    const id = randomUUID();
    const record = JSON.stringify({ createdAt: Date.now(), tenant, items });
    await redisCall('batch', () => this.d.redis.set(this.key(id), record, 'EX', this.d.ttlSeconds));
    return id;
  }

  async view(id: string, tenant?: string): Promise<BatchView | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const raw = await redisCall('batch', () => this.d.redis.get(this.key(id)));
    if (!raw) return undefined;
    const record = JSON.parse(raw) as { createdAt: number; tenant?: string; items: BatchItem[] };
    if (record.tenant !== tenant) return undefined;
    const { createdAt, items } = record;
    // All lookups at once: ioredis pipelines them over the one connection.
    const jobs: BatchView['jobs'] = await Promise.all(
      items.map(async (item) =>
        item.id
          ? {
              file: item.file,
              ...((await this.d.service.view(item.id, tenant)) ?? { id: item.id, state: 'unknown', progress: 0 }),
            }
          : { file: item.file, state: 'failed', progress: 0, error: item.error },
      ),
    );
    const counts: Record<string, number> = {};
    for (const v of jobs) counts[v.state!] = (counts[v.state!] ?? 0) + 1;
    const done = (counts.completed ?? 0) + (counts.failed ?? 0) === items.length;
    return { id, createdAt, total: items.length, counts, done, jobs };
  }
}
