import { describe, expect, it } from 'vitest';
import { layers } from './layers.js';
import { contextBefore } from './stages.testkit.js';

const area = (labels: Int16Array, label: number) => labels.filter((l) => l === label).length;

describe('layers stage', () => {
  it('labels every pixel with a palette colour and orders the layers by area, biggest first', async () => {
    const ctx = await contextBefore('layers');
    layers.run(ctx);
    const { labels, order, colours, mono } = ctx.plan!;
    expect(labels.length).toBe(384 * 256);
    expect(mono).toBe(false);
    expect(colours.map((c) => c.color)).toEqual([0xff0000, 0xffffff, 0x0000ff]);
    expect(order).toEqual([0, 1, 2]); // red field, white disc, blue bar
    expect(area(labels, 0)).toBeGreaterThan(area(labels, 1));
    expect(area(labels, 1)).toBeGreaterThan(area(labels, 2));
    expect(labels[128 * 384 + 144]).toBe(1); // the disc's centre
    expect(labels.every((l) => l >= 0)).toBe(true); // opaque picture
  });

  it('in mono mode draws the border colour under one ink colour covering everything else', async () => {
    const ctx = await contextBefore('layers', undefined, { mode: 'mono' });
    layers.run(ctx);
    const { labels, order, mono } = ctx.plan!;
    expect(mono).toBe(true);
    expect(order).toEqual([0, 1]);
    expect(new Set(labels)).toEqual(new Set([0, 1]));
  });
});
