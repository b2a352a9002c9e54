import { describe, expect, it } from 'vitest';
import { unpremultiply } from './image.js';
import { renderSvg } from './score.js';

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
});
