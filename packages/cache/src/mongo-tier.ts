import { MongoClient, type Collection, type Db } from 'mongodb';
import { decodeFrame, encodeFrame } from './frame.js';
import { imageHashOf } from '@tracefleet/contract';
import {
  type CacheTier,
  type EntryMeta,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierStatsSnapshot,
} from './tier.js';

/**
 * Schema. Two collections, `results` and `features` (key kind `r` / `f`), one document per key:
 *   _id            the cache key `v<version>:<kind>:<imageHash>[:<options>]`
 *   imageHash      sha256 of the source image           (index: purge by image)
 *   options        normalised options (results)
 *   version        pipeline / features extractor version
 *   value          compressed frame (SVG + metadata, or features JSON), checksummed
 *   logoType       the pipeline's logo type              (index with hits: warming, purge by type)
 *   quality        SSIM and friends, queryable
 *   createdAt, lastHitAt, hits
 *   expiresAt      TTL index (expireAfterSeconds 0)
 * Indexes are created at start-up (`connect`).
 */
export interface EntryDoc {
  _id: string;
  imageHash?: string;
  options?: string;
  version: string;
  value: Buffer;
  logoType?: string;
  quality?: Record<string, number>;
  createdAt: Date;
  lastHitAt: Date;
  hits: number;
  expiresAt: Date | null;
}

const kindOf = (key: string) => (/^v[^:]+:f:/.test(key) ? 'features' : 'results');

export class MongoTier implements CacheTier {
  readonly name = 'mongo' as const;
  private corrupt = 0;
  private readonly cols: Record<'results' | 'features', Collection<EntryDoc>>;

  constructor(
    db: Db,
    private readonly client?: MongoClient,
    private readonly defaultTtlSeconds = 30 * 24 * 3600,
    prefix = '',
  ) {
    this.cols = {
      results: db.collection<EntryDoc>(`${prefix}results`),
      features: db.collection<EntryDoc>(`${prefix}features`),
    };
  }

  static async connect(
    url: string,
    opts: { db?: string; collectionPrefix?: string; ttlSeconds?: number } = {},
  ): Promise<MongoTier> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
    await client.connect();
    const tier = new MongoTier(client.db(opts.db), client, opts.ttlSeconds, opts.collectionPrefix);
    await tier.createIndexes();
    return tier;
  }

  async createIndexes(): Promise<void> {
    for (const c of Object.values(this.cols)) {
      await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await c.createIndex({ imageHash: 1 });
      await c.createIndex({ logoType: 1, hits: -1 });
      await c.createIndex({ hits: -1 });
    }
  }

  private col(key: string) {
    return this.cols[kindOf(key)];
  }

  async get(key: string): Promise<StoredValue | undefined> {
    const doc = await this.col(key).findOne({
      _id: key,
      $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }],
    });
    if (!doc) return undefined;
    const v = doc.value as unknown as { buffer: Uint8Array } | Buffer;
    const f = decodeFrame(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer));
    if (!f) {
      this.corrupt++;
      await this.col(key).deleteOne({ _id: key });
      return undefined;
    }
    return f;
  }

  async set(key: string, value: Buffer, ttlSeconds?: number, meta: EntryMeta = {}): Promise<void> {
    const now = new Date();
    const ttl = ttlSeconds ?? this.defaultTtlSeconds;
    const [, version, , , options] = /^v([^:]+):([a-z]):([0-9a-f]+)(?::(.*))?$/.exec(key) ?? [];
    await this.col(key).updateOne(
      { _id: key },
      {
        $set: {
          value: encodeFrame(value, meta),
          version: version ?? '',
          imageHash: meta.imageHash ?? imageHashOf(key),
          ...(options ? { options } : {}),
          ...(meta.logoType ? { logoType: meta.logoType } : {}),
          ...(meta.quality ? { quality: meta.quality } : {}),
          expiresAt: new Date(now.getTime() + ttl * 1000),
        },
        $setOnInsert: { createdAt: now, lastHitAt: now, hits: 0 },
      },
      { upsert: true },
    );
  }

  async delete(key: string): Promise<void> {
    await this.col(key).deleteOne({ _id: key });
  }

  async purge(filter: PurgeFilter): Promise<number> {
    const q =
      'all' in filter
        ? {}
        : 'key' in filter
          ? { _id: filter.key }
          : 'imageHash' in filter
            ? { imageHash: filter.imageHash }
            : { logoType: filter.logoType };
    let n = 0;
    for (const c of Object.values(this.cols)) n += (await c.deleteMany(q)).deletedCount;
    return n;
  }

  async *entries(): AsyncIterable<TierEntry> {
    for (const c of Object.values(this.cols)) {
      for await (const doc of c.find({ $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }] })) {
        const v = doc.value as unknown as { buffer: Uint8Array } | Buffer;
        const f = decodeFrame(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer));
        if (f)
          yield {
            key: doc._id,
            ...f,
            ttlSeconds: doc.expiresAt
              ? Math.max(1, Math.ceil((doc.expiresAt.getTime() - Date.now()) / 1000))
              : undefined,
          };
      }
    }
  }

  async recordHits(hits: ReadonlyMap<string, { n: number }>): Promise<void> {
    const now = new Date();
    for (const kind of ['results', 'features'] as const) {
      const ops = [...hits]
        .filter(([k]) => kindOf(k) === kind)
        .map(([k, h]) => ({
          updateOne: { filter: { _id: k }, update: { $inc: { hits: h.n }, $set: { lastHitAt: now } } },
        }));
      if (ops.length) await this.cols[kind].bulkWrite(ops, { ordered: false });
    }
  }

  async popular(limit: number): Promise<string[]> {
    const docs = await this.cols.results
      .find({}, { projection: { _id: 1 } })
      .sort({ hits: -1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d._id);
  }

  async clear(): Promise<void> {
    for (const c of Object.values(this.cols)) await c.deleteMany({});
  }

  stats(): TierStatsSnapshot {
    return { evictions: 0, corrupt: this.corrupt };
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
