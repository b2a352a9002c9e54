import { createHash } from 'node:crypto';

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Result key: content hash + normalised options + pipeline version. A new pipeline version makes
 * new keys, so stale results are never read, by construction.
 */
export function resultKey(imageHash: string, optionsKey: string, pipelineVersion: string): string {
  return `v${pipelineVersion}:r:${imageHash}:${optionsKey}`;
}

/**
 * Features key: their own key space, by image hash and extractor version only (features do not
 * depend on the conversion options, so every option set of one image shares them).
 */
export function featuresKey(imageHash: string, featuresVersion: string): string {
  return `v${featuresVersion}:f:${imageHash}`;
}
