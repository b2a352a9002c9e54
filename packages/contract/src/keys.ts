import { createHash, randomBytes } from 'node:crypto';

/**
 * The key grammar, in one place. Every cached value and every conversion job is named by a key:
 *
 *   result   v<pipeline version>:r:<sha256 of the image bytes>:<options key>
 *   features v<features version>:f:<sha256 of the image bytes>
 *   output   v<pipeline version>:o:<sha256 of the image bytes>:<options key>+<output key>
 *
 * An output entry is a rendition of a result in another format (PDF, PNG at a size…), derived from
 * the result it extends, so it shares the result's version, image hash and options key.
 *
 * A new version makes new keys, so stale entries are never read, by construction. The job id of a
 * result key is the same string with `-` for its three `:` separators (BullMQ refuses `:` in custom
 * job ids); only those three are structural, so the options key may itself contain `-`.
 *
 * With API keys (tenants), clients never see those content-derived ids: each submission gets a
 * tenant job id `t-<22 random base64url chars>` that names the shared job only for that tenant.
 */
export type KeyKind = 'result' | 'features' | 'output';

export interface ParsedKey {
  kind: KeyKind;
  version: string;
  imageHash: string;
  /** The options key (results and outputs). */
  options?: string;
  /** The output key (outputs only). */
  output?: string;
}

const KIND_TAG: Record<KeyKind, string> = { result: 'r', features: 'f', output: 'o' };
const KEY = /^v([^:-]+):([rfo]):([0-9a-f]{64})(?::([^:]+))?$/;
const JOB_ID = /^v([^:-]+)-r-([0-9a-f]{64})-([^:]+)$/;
const HASH = /^[0-9a-f]{64}$/;

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function isImageHash(s: string): boolean {
  return HASH.test(s);
}

export function resultKey(imageHash: string, optionsKey: string, pipelineVersion: string): string {
  if (optionsKey.includes(':')) throw new Error(`options key must not contain ":" (${optionsKey})`);
  return `v${pipelineVersion}:${KIND_TAG.result}:${imageHash}:${optionsKey}`;
}

/** Features depend on the image alone (not the options): every option set of one image shares them. */
export function featuresKey(imageHash: string, featuresVersion: string): string {
  return `v${featuresVersion}:${KIND_TAG.features}:${imageHash}`;
}

/** The key of a result's rendition named by `outputKey` (contract/output-options.ts). */
export function outputKeyOf(resultKeyString: string, outputKey: string): string {
  const k = parseKey(resultKeyString);
  if (!k || k.kind !== 'result') throw new Error(`not a result key: ${resultKeyString}`);
  if (/[:+]/.test(outputKey)) throw new Error(`output key must not contain ":" or "+" (${outputKey})`);
  return `v${k.version}:${KIND_TAG.output}:${k.imageHash}:${k.options}+${outputKey}`;
}

export function parseKey(key: string): ParsedKey | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const kind: KeyKind = m[2] === 'r' ? 'result' : m[2] === 'o' ? 'output' : 'features';
  if ((kind !== 'features') !== (m[4] !== undefined)) return undefined;
  if (kind === 'output') {
    // The output key never contains "+": it follows the last one.
    const plus = m[4].lastIndexOf('+');
    if (plus <= 0 || plus === m[4].length - 1) return undefined;
    return { kind, version: m[1], imageHash: m[3], options: m[4].slice(0, plus), output: m[4].slice(plus + 1) };
  }
  return { kind, version: m[1], imageHash: m[3], ...(m[4] !== undefined ? { options: m[4] } : {}) };
}

/** The job id of a result key. */
export function jobIdOf(key: string): string {
  const k = parseKey(key);
  if (!k || k.kind !== 'result') throw new Error(`not a result key: ${key}`);
  return `v${k.version}-r-${k.imageHash}-${k.options}`;
}

/** The result key of a job id; undefined when the id is not one (e.g. a random id). */
export function keyOfJobId(id: string): string | undefined {
  const m = JOB_ID.exec(id);
  return m ? `v${m[1]}:r:${m[2]}:${m[3]}` : undefined;
}

/** The image hash inside a key or a job id; undefined for anything else. */
export function imageHashOf(keyOrJobId: string): string | undefined {
  return parseKey(keyOrJobId)?.imageHash ?? JOB_ID.exec(keyOrJobId)?.[2];
}

/** A glob (Redis MATCH syntax) for every key of an image: results and features, of any version. */
export function imageKeysGlob(imageHash: string): string {
  return `v*:?:${imageHash}*`;
}

const TENANT_JOB_ID = /^t-[A-Za-z0-9_-]{22}$/;

/** A fresh tenant job id: random, so it says nothing about the image. */
export function newTenantJobId(): string {
  return `t-${randomBytes(16).toString('base64url')}`;
}

export function isTenantJobId(id: string): boolean {
  return TENANT_JOB_ID.test(id);
}
