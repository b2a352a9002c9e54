import { MongoClient, type Collection } from 'mongodb';
import type { CacheTier } from './tier.js';

interface EntryDoc {
  _id: string;
  value: Buffer;
  createdAt: Date;
  lastHitAt: Date;
  hits: number;
  expiresAt: Date | null;
}

/** Durable tier: one document per key, expired by a TTL index on expiresAt. */
export class MongoTier implements CacheTier {
  readonly name = 'mongo' as const;

  constructor(
    private readonly collection: Collection<EntryDoc>,
    private readonly client?: MongoClient,
    private readonly defaultTtlSeconds = 30 * 24 * 3600,
  ) {}

  static async connect(url: string, opts: { db?: string; collection?: string; ttlSeconds?: number } = {}): Promise<MongoTier> {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
    await client.connect();
    const collection = client.db(opts.db).collection<EntryDoc>(opts.collection ?? 'results');
    await collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await collection.createIndex({ hits: -1 });
    return new MongoTier(collection, client, opts.ttlSeconds);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const doc = await this.collection.findOneAndUpdate(
      { _id: key, $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }] },
      { $inc: { hits: 1 }, $set: { lastHitAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (!doc) return undefined;
    const v = doc.value as unknown as { buffer?: ArrayBuffer | Uint8Array } | Buffer;
    return Buffer.isBuffer(v) ? v : Buffer.from((v as { buffer: Uint8Array }).buffer);
  }

  async set(key: string, value: Buffer, ttlSeconds?: number): Promise<void> {
    const now = new Date();
    const ttl = ttlSeconds ?? this.defaultTtlSeconds;
    await this.collection.updateOne(
      { _id: key },
      { $set: { value, expiresAt: new Date(now.getTime() + ttl * 1000) }, $setOnInsert: { createdAt: now, lastHitAt: now, hits: 0 } },
      { upsert: true },
    );
  }

  async delete(key: string): Promise<void> {
    await this.collection.deleteOne({ _id: key });
  }

  async clear(): Promise<void> {
    await this.collection.deleteMany({});
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
