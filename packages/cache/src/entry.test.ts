import { describe, expect, it } from 'vitest';
import { OutgoingEntry } from './entry.js';
import { decodeFrame, encodeFrame } from './frame.js';

describe('entry frames', () => {
  it('encodes the frame once per codec and shares the bytes', () => {
    const value = Buffer.from('<svg>' + '<path d="M0 0L10 10"/>'.repeat(50) + '</svg>');
    const e = new OutgoingEntry(value, { logoType: 'mono' });
    const f = e.frame();
    expect(e.frame()).toBe(f);
    expect(decodeFrame(f)).toEqual({ value, meta: { logoType: 'mono' } });
    expect(e.frame('gzip')).not.toBe(f);
    expect(decodeFrame(e.frame('gzip'))).toEqual({ value, meta: { logoType: 'mono' } });
  });

  it('frames compress, carry metadata, and reject any flipped byte', () => {
    const svg = Buffer.from('<svg>' + '<path d="M0 0L10 10"/>'.repeat(200) + '</svg>');
    const f = encodeFrame(svg, { logoType: 'mono' });
    expect(f.length).toBeLessThan(svg.length / 5);
    expect(decodeFrame(f)).toEqual({ value: svg, meta: { logoType: 'mono' } });
    for (const i of [0, 3, 5, 12, f.length - 1]) {
      const bad = Buffer.from(f);
      bad[i] ^= 0x01;
      expect(decodeFrame(bad)).toBeUndefined();
    }
  });
});
