import { MongoClient, type Collection, type Db } from 'mongodb';
import type { OutgoingEntry } from './entry.js';
import { decodeFrame } from './frame.js';
import {
  type CacheTier,
  type HitCounts,
  type Meta,
  type PurgeFilter,
  type StoredValue,
  type TierEntry,
  type TierStatsSnapshot,
} from './tier.js';

/**
 * Where entries go and which of their fields are queryable: given by the caller, who knows its keys
 * and metadata. Labels (purge selectors) must be among the fields; each gets an index.
 */
export interface MongoLayout<M extends Meta = Meta> {
  collections: readonly string[];
  collectionOf(key: string): string;
  /** Document fields beside the frame, e.g. the labels and anything worth querying. */
  fields(key: string, meta: M): Record<string, unknown>;
  labels: readonly string[];
  /** A label indexed together with hit counts (most requested per value). */
  hitsBy?: string;
  /** The collection whose hit counts feed warming (default: the first). */
  popularFrom?: string;
}

export const SINGLE_COLLECTION: MongoLayout = {
  collections: ['entries'],
  collectionOf: () => 'entries',
  fields: () => ({}),
  labels: [],
};

/**
 * One document per key, in the collection the layout names:
 *   _id            the cache key
 *   value          compressed frame (value + metadata), checksummed
 *   …fields        the layout's queryable fields (labels indexed)
 *   createdAt, lastHitAt, hits
 *   expiresAt      TTL index (expireAfterSeconds 0)
 * Indexes are created at start-up (`connect`).
 */
export interface EntryDoc {
  _id: string;
  value: Buffer;
  createdAt: Date;
  lastHitAt: Date;
  hits: number;
  expiresAt: Date | null;
}

export class MongoTier<M extends Meta = Meta> implements CacheTier<M> {
  readonly name = 'mongo' as const;
  private corrupt = 0;
  private readonly cols: Map<string, Collection<EntryDoc>>;

  constructor(
    db: Db,
    private readonly client?: MongoClient,
    private readonly defaultTtlSeconds = 30 * 24 * 3600,
    prefix = '',
    private readonly layout: MongoLayout<M> = SINGLE_COLLECTION,
  ) {
    this.cols = new Map(layout.collections.map((c) => [c, db.collection<EntryDoc>(`${prefix}${c}`)]));
  }

  static async connect<M extends Meta = Meta>(
    url: string,
    opts: { db?: string; collectionPrefix?: string; ttlSeconds?: number; layout?: MongoLayout<M> } = {},
  ): Promise<MongoTier<M>> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
    await client.connect();
    const tier = new MongoTier<M>(client.db(opts.db), client, opts.ttlSeconds, opts.collectionPrefix, opts.layout);
    await tier.createIndexes();
    return tier;
  }

  async createIndexes(): Promise<void> {
    for (const c of this.cols.values()) {
      await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      for (const label of this.layout.labels) await c.createIndex({ [label]: 1 });
      if (this.layout.hitsBy) await c.createIndex({ [this.layout.hitsBy]: 1, hits: -1 });
      await c.createIndex({ hits: -1 });
    }
  }

  private col(key: string): Collection<EntryDoc> {
    return this.cols.get(this.layout.collectionOf(key)) ?? [...this.cols.values()][0];
  }

  private decode(doc: EntryDoc) {
    const v = doc.value as unknown as { buffer: Uint8Array } | Buffer;
    return decodeFrame<M>(Buffer.isBuffer(v) ? v : Buffer.from(v.buffer));
  }

  async get(key: string): Promise<StoredValue<M> | undefined> {
    const doc = await this.col(key).findOne({
      _id: key,
      $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }],
    });
    if (!doc) return undefined;
    const f = this.decode(doc);
    if (!f) {
      this.corrupt++;
      await this.col(key).deleteOne({ _id: key });
      return undefined;
    }
    return f;
  }

  async set(key: string, entry: OutgoingEntry<M>, ttlSeconds?: number): Promise<void> {
    const now = new Date();
    const ttl = ttlSeconds ?? this.defaultTtlSeconds;
    await this.col(key).updateOne(
      { _id: key },
      {
        $set: {
          ...this.layout.fields(key, entry.meta),
          value: entry.frame(),
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
    const q = 'all' in filter ? {} : 'key' in filter ? { _id: filter.key } : { [filter.label]: filter.value };
    let n = 0;
    for (const c of this.cols.values()) n += (await c.deleteMany(q)).deletedCount;
    return n;
  }

  async *entries(): AsyncIterable<TierEntry<M>> {
    for (const c of this.cols.values()) {
      for await (const doc of c.find({ $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }] })) {
        const f = this.decode(doc);
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

  async recordHits(hits: HitCounts<M>): Promise<void> {
    const now = new Date();
    const byCol = new Map<Collection<EntryDoc>, Array<[string, number]>>();
    for (const [k, h] of hits) {
      const c = this.col(k);
      byCol.set(c, [...(byCol.get(c) ?? []), [k, h.n]]);
    }
    for (const [c, list] of byCol)
      await c.bulkWrite(
        list.map(([k, n]) => ({
          updateOne: { filter: { _id: k }, update: { $inc: { hits: n }, $set: { lastHitAt: now } } },
        })),
        { ordered: false },
      );
  }

  async popular(limit: number): Promise<string[]> {
    const from = this.cols.get(this.layout.popularFrom ?? this.layout.collections[0]);
    if (!from) return [];
    const docs = await from
      .find({}, { projection: { _id: 1 } })
      .sort({ hits: -1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d._id);
  }

  async clear(): Promise<void> {
    for (const c of this.cols.values()) await c.deleteMany({});
  }

  stats(): TierStatsSnapshot {
    return { evictions: 0, corrupt: this.corrupt };
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
