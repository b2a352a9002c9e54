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
