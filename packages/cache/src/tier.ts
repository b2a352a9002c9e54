export type TierName = 'memory' | 'disk' | 'redis' | 'mongo';

/**
 * The one interface every cache tier implements. Values are opaque bytes: serialisation and
 * compression are the layered cache's business, so tiers stay small and interchangeable.
 */
export interface CacheTier {
  readonly name: TierName;
  get(key: string): Promise<Buffer | undefined>;
  set(key: string, value: Buffer, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Drops every entry this tier holds for tracefleet. */
  clear(): Promise<void>;
  close(): Promise<void>;
}
