import { describe, expect, it } from 'vitest';
import { unpremultiply } from './image.js';
import { compareImages, renderSvg, scoreCandidate, scoreTarget } from './score.js';
import { bufferView, SLOT, wasm } from './wasm.js';

describe('straight alpha', () => {
  it('turns premultiplied pixels straight, leaving opaque and transparent ones alone', () => {
    const px = new Uint8Array([128, 64, 32, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
    expect([...unpremultiply(px)]).toEqual([255, 128, 64, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
  });

  it('renderSvg answers straight alpha: a half-transparent colour keeps its colour', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#ff8040" fill-opacity="0.5"/></svg>';
    expect([...renderSvg(svg, 4, 4).data.subarray(0, 4)]).toEqual([255, 128, 64, 128]);
  });

  it('wasm/score.c unpremultiplies every (value, alpha) pair as unpremultiply does', () => {
    const px = new Uint8Array(256 * 256 * 4);
    for (let a = 0; a < 256; a++)
      for (let v = 0; v < 256; v++) px.set([v, 255 - v, (v * 7) & 255, a], (a * 256 + v) * 4);
    bufferView(SLOT.scoreCandidate, px.length).set(px);
    expect(wasm().tf_unpremultiply(256 * 256)).toBe(0);
    const got = bufferView(SLOT.scoreCandidate, px.length).slice();
    expect(Buffer.compare(Buffer.from(got), Buffer.from(unpremultiply(px.slice())))).toBe(0);
  });

  it('scoreCandidate scores as compareImages of renderSvg does', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 30 20" width="30" height="20"><circle cx="12" cy="10" r="7" fill="#204080" fill-opacity="0.6"/><path d="M2 2L28 17" stroke="#c03010" stroke-width="1.3"/></svg>';
    const reference = renderSvg(svg.replace('r="7"', 'r="6.5"'), 60, 40);
    expect(scoreCandidate(svg, scoreTarget(reference))).toEqual(compareImages(reference, renderSvg(svg, 60, 40)));
  });
});
