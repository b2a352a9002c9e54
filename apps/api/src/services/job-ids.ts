import type { RedisClient as Redis } from '@tracefleet/redis';
import { isTenantJobId, newTenantJobId } from '@tracefleet/contract';

/**
 * The ids clients see. Without API keys they are the queue's job ids (content-derived, as always).
 * With API keys every submission gets a random tenant job id, stored in Redis for JOB_TTL_SECONDS as
 * tenant → queue job id: equal images still share one job and one cache entry underneath, but an id
 * says nothing about the image and names nothing for another key (it resolves to undefined: 404).
 */
export interface JobIds {
  /** The id to hand `tenant` for queue job `jobId`. */
  issue(tenant: string | undefined, jobId: string): Promise<string>;
  /** The queue job id behind a client id, if `tenant` may see it. */
  resolve(tenant: string | undefined, id: string): Promise<string | undefined>;
}

export const sharedJobIds: JobIds = {
  issue: async (_tenant, jobId) => jobId,
  resolve: async (_tenant, id) => id,
};

export class TenantJobIds implements JobIds {
  constructor(private readonly d: { redis: Redis; prefix: string; ttlSeconds: number }) {}

  private key(id: string) {
    return `${this.d.prefix}:tjob:${id}`;
  }

  async issue(tenant: string | undefined, jobId: string): Promise<string> {
    const id = newTenantJobId();
    await this.d.redis.set(this.key(id), JSON.stringify({ tenant, jobId }), 'EX', this.d.ttlSeconds);
    return id;
  }

  async resolve(tenant: string | undefined, id: string): Promise<string | undefined> {
    if (!isTenantJobId(id)) return undefined;
    const raw = await this.d.redis.get(this.key(id));
    if (!raw) return undefined;
    const rec = JSON.parse(raw) as { tenant?: string; jobId: string };
    return rec.tenant === tenant ? rec.jobId : undefined;
  }
}
