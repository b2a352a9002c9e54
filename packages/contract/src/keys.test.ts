import { describe, expect, it } from 'vitest';
import {
  featuresKey,
  hashBytes,
  imageHashOf,
  imageKeysGlob,
  jobIdOf,
  keyOfJobId,
  parseKey,
  resultKey,
} from './keys.js';

const H = hashBytes(new Uint8Array([1, 2, 3]));

describe('key grammar', () => {
  it('builds and parses result and features keys', () => {
    const k = resultKey(H, 'color.4', '3');
    expect(k).toBe(`v3:r:${H}:color.4`);
    expect(parseKey(k)).toEqual({ kind: 'result', version: '3', imageHash: H, options: 'color.4' });
    expect(parseKey(featuresKey(H, '3'))).toEqual({ kind: 'features', version: '3', imageHash: H });
    expect(parseKey('v3:r:nothex')).toBeUndefined();
    expect(parseKey(`v3:f:${H}:extra`)).toBeUndefined();
    expect(parseKey(`v3:r:${H}`)).toBeUndefined();
  });

  it('maps result keys to job ids and back, even when the options key holds "-"', () => {
    for (const opts of ['auto.a', 'color.4', 'auto.a~p0a66c2-ffffff']) {
      const k = resultKey(H, opts, '12');
      const id = jobIdOf(k);
      expect(id).not.toContain(':');
      expect(keyOfJobId(id)).toBe(k);
      expect(imageHashOf(id)).toBe(H);
      expect(imageHashOf(k)).toBe(H);
    }
    expect(keyOfJobId('0b0f4f3c-1c5e-4d0e-8a5a-2d3f0e6c9b11')).toBeUndefined();
    expect(() => resultKey(H, 'a:b', '3')).toThrow();
  });

  it('has one glob for every key of an image, and only its keys', () => {
    const glob = new RegExp('^' + imageKeysGlob(H).replaceAll('*', '.*').replaceAll('?', '.') + '$');
    const other = hashBytes(new Uint8Array([4]));
    for (const k of [resultKey(H, 'auto.a', '3'), resultKey(H, 'mono.2', '12'), featuresKey(H, '4')])
      expect(k).toMatch(glob);
    expect(resultKey(other, 'auto.a', '3')).not.toMatch(glob);
  });
});
