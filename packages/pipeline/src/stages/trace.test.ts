import { describe, expect, it } from 'vitest';
import { contextBefore } from './stages.testkit.js';
import { trace } from './trace.js';

describe('trace stage', () => {
  it('traces one path per planned layer, bottom first, in the layer colours', async () => {
    const ctx = await contextBefore('trace');
    await trace.run(ctx);
    const plan = ctx.plan!;
    expect(ctx.layers!.map((l) => l.color)).toEqual(plan.order.map((k) => plan.colours[k].color));
    for (const l of ctx.layers!) expect(l.d).toMatch(/^M/);
    // The bottom layer spans the whole opaque picture: a plain rectangle.
    expect(ctx.layers![0].d).toMatch(/^M0 /);
  });
});
