import type { FastifyInstance } from 'fastify';
import { TracefleetError } from '@tracefleet/errors';
import { RedisTier } from '@tracefleet/cache';
import { purgeFilterOf, type ConversionCache, type PurgeSelector } from '@tracefleet/converter';
import { adminGuard } from '../plugins/admin-auth.js';

export interface AdminCacheDeps {
  cache: ConversionCache;
  adminToken: string | undefined;
}

interface PurgeBody {
  key?: unknown;
  imageHash?: unknown;
  logoType?: unknown;
  all?: unknown;
}

/** Exactly one selector: a key, an image hash (sha256 hex), a logo type, or `all: true`. */
export function parsePurge(body: PurgeBody | undefined): PurgeSelector {
  const b = body ?? {};
  const given = (['key', 'imageHash', 'logoType', 'all'] as const).filter((k) => b[k] !== undefined);
  if (given.length !== 1)
    throw new TracefleetError('BAD_REQUEST', 'purge needs exactly one of key, imageHash, logoType, all');
  if (b.all !== undefined) {
    if (b.all !== true) throw new TracefleetError('BAD_REQUEST', 'all must be true');
    return { all: true };
  }
  if (b.imageHash !== undefined) {
    if (typeof b.imageHash !== 'string' || !/^[0-9a-f]{64}$/.test(b.imageHash))
      throw new TracefleetError('BAD_REQUEST', 'imageHash must be a sha256 in hex');
    return { imageHash: b.imageHash };
  }
  const [name, v] = b.key !== undefined ? ['key', b.key] : ['logoType', b.logoType];
  if (typeof v !== 'string' || !v || v.length > 300)
    throw new TracefleetError('BAD_REQUEST', `${name} must be a non-empty string`);
  return name === 'key' ? { key: v } : { logoType: v };
}

/**
 * `POST /admin/cache/purge` (every tier here, and every other process's memory and disk tiers
 * through the invalidation broadcast) and `GET /admin/cache/stats`. Behind ADMIN_TOKEN.
 */
export async function adminCacheRoutes(app: FastifyInstance, deps: AdminCacheDeps): Promise<void> {
  const { cache } = deps;
  app.addHook('preHandler', adminGuard(deps.adminToken));

  app.post<{ Body: PurgeBody }>('/admin/cache/purge', async (req) => {
    const filter = parsePurge(req.body);
    const purged = await cache.purge(purgeFilterOf(filter));
    req.log.info({ filter, purged }, 'cache purged');
    return { filter, purged };
  });

  app.get('/admin/cache/stats', async () => {
    const redis = cache.tier('redis');
    const hitsByLogoType = redis instanceof RedisTier ? await redis.hitsByLabel().catch(() => undefined) : undefined;
    return { tiers: cache.stats(), ...(hitsByLogoType ? { hitsByLogoType } : {}) };
  });
}
