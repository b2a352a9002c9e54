// Child process of `pnpm bench:cache`: one server per scenario, so the load generator never shares
// its event loop. BENCH_TIER = ceiling | memory | disk | redis | mongo.
//  - ceiling: a bare fastify route that hashes the body and answers one Redis GET of the SVG bytes.
//  - otherwise: the real API app (apps/api/dist) whose cache is only the named tier (memory also keeps
//    Redis below it, so its first request fills it): every answer comes from that tier.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(pathToFileURL(path.join(root, p)).href);
const fromPkg = (pkg, name) =>
  import(pathToFileURL(createRequire(path.join(root, pkg, 'package.json')).resolve(name)).href);

const tier = process.env.BENCH_TIER;
const port = Number(process.env.PORT);
const { Redis } = await fromPkg('packages/cache', 'ioredis');

if (tier === 'ceiling') {
  const { default: Fastify } = await fromPkg('apps/api', 'fastify');
  const redis = new Redis(process.env.REDIS_URL);
  const svg = fs.readFileSync(process.env.BENCH_SVG_FILE);
  const hash = createHash('sha256').update(fs.readFileSync(process.env.BENCH_IMAGE_FILE)).digest('hex');
  await redis.set(`bench:ceiling:${hash}`, svg);
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  app.addContentTypeParser('image/png', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/v1/convert', async (req, reply) => {
    const h = createHash('sha256').update(req.body).digest('hex');
    const v = await redis.getBuffer(`bench:ceiling:${h}`);
    return reply.type('image/svg+xml; charset=utf-8').send(v);
  });
  await app.listen({ port, host: '127.0.0.1' });
} else {
  const { buildApp } = await dist('apps/api/dist/app.js');
  const { loadConfig } = await dist('packages/config/dist/index.js');
  const { LayeredCache, MemoryTier, DiskTier, RedisTier, MongoTier } = await dist('packages/cache/dist/index.js');
  const { CONVERSION_CACHE_SCHEMA: schema } = await dist('packages/converter/dist/index.js');
  const { createConvertQueue, createQueueEvents, createRedis } = await dist('packages/queue/dist/index.js');
  const { createLogger, createMetrics } = await dist('packages/telemetry/dist/index.js');
  const config = loadConfig();
  const redis = createRedis(config.redisUrl, 'producer');
  const cacheRedis = createRedis(config.redisUrl, 'cache');
  // Fail-fast connections refuse commands until connected: start serving once both are ready.
  await Promise.all(
    [redis, cacheRedis].map((c) => new Promise((r) => (c.status === 'ready' ? r() : c.once('ready', r)))),
  );
  const redisTier = () => new RedisTier(cacheRedis, 'tracefleet:cache:', config.cacheTtlSeconds, schema.redis);
  const tiers = {
    memory: () => ({ memory: new MemoryTier({ maxBytes: config.cacheMemoryMaxBytes }), lower: [redisTier()] }),
    disk: () => ({ lower: [new DiskTier(config.cacheDir, { maxBytes: config.cacheDiskMaxBytes })] }),
    redis: () => ({ lower: [redisTier()] }),
    mongo: async () => ({
      lower: [await MongoTier.connect(config.mongoUrl, { ttlSeconds: config.cacheTtlSeconds, layout: schema.mongo })],
    }),
  }[tier];
  const cache = new LayeredCache(await tiers(), { ttlSeconds: config.cacheTtlSeconds });
  const queue = createConvertQueue(redis, config.queuePrefix, config.jobAttempts);
  const queueEvents = createQueueEvents(config.redisUrl, config.queuePrefix);
  const app = await buildApp({
    config,
    logger: createLogger('bench-api', 'warn'),
    metrics: createMetrics('api'),
    cache,
    redis,
    queue,
    queueEvents,
  });
  await app.listen({ port, host: '127.0.0.1' });
}
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
