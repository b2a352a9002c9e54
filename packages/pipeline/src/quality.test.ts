import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { TracefleetError } from '@tracefleet/errors';
import { convertImage } from './pipeline.js';
import { decodeImage } from './decode.js';
import { LABELLED, rawToPng, readCorpus, svgToPng } from './fixtures.testkit.js';
import { DEFAULT_LIMITS } from './options.js';
import { referenceSsim, renderSvg, scorePlanes, ssimPlane } from './score.js';
import { assertSafeSvg } from './svg.js';

describe('layers stack without gaps', () => {
  it('an opaque picture of touching colours renders fully opaque (no seam shows through)', async () => {
    // Four colours meeting along curves and diagonals, antialiased: the worst case for seams.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300">
      <rect width="300" height="300" fill="#1565c0"/>
      <path d="M0 0L300 170V300H0z" fill="#f9a825"/>
      <circle cx="150" cy="150" r="90" fill="#c62828"/>
      <path d="M150 60A90 90 0 0 1 240 150H150z" fill="#2e7d32"/></svg>`;
    const r = await convertImage(svgToPng(svg), { mode: 'auto' }, DEFAULT_LIMITS);
    expect(r.meta.colors.length).toBe(4);
    const out = renderSvg(r.svg, 300, 300);
    let seeThrough = 0;
    for (let i = 3; i < out.data.length; i += 4) if (out.data[i] < 255) seeThrough++;
    expect(seeThrough).toBe(0);
    expect(r.meta.quality.ssim).toBeGreaterThan(0.97);
  });
});

describe('thin strokes', () => {
  it('keep their own colour: a hairline outline is traced, not lost or turned into a neighbour colour', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300" fill="#fff"/>
      <path d="M60 240C80 80 200 40 340 90L300 250z" fill="#d21034" stroke="#000" stroke-width="1.6"/>
      <path d="M120 200L200 120M160 220L260 140" stroke="#000" stroke-width="1.4"/></svg>`;
    const r = await convertImage(svgToPng(svg), { mode: 'auto' }, DEFAULT_LIMITS);
    expect(r.features.palette.filter((p) => p.line).map((p) => p.color)).toEqual(['#000000']);
    expect(r.meta.colors).toContain('#000000');
    expect(r.meta.colors.length).toBe(3);
    expect(r.meta.quality.ssim).toBeGreaterThan(0.97);
  });
});

describe('JPEG input', () => {
  it('is denoised: block and ringing artefacts become no colours or specks of their own', async () => {
    const jpeg = await sharp(readCorpus('dev-devicon-ubuntu.png'))
      .flatten({ background: '#fff' })
      .jpeg({ quality: 60 })
      .toBuffer();
    const r = await convertImage(jpeg, { mode: 'auto' }, DEFAULT_LIMITS);
    expect(r.meta.colors.length).toBe(2);
    expect(r.meta.bytes).toBeLessThan(3000);
    expect(r.meta.quality.ssim).toBeGreaterThan(0.96);
  });
});

describe('transparency', () => {
  it('keeps the background and the counters of letters transparent', async () => {
    const r = await convertImage(svgToPng(LABELLED.text), { mode: 'auto' }, DEFAULT_LIMITS);
    const out = renderSvg(r.svg, 512, 160);
    const alpha = (x: number, y: number) => out.data[(y * 512 + x) * 4 + 3];
    expect(alpha(5, 5)).toBe(0); // background
    expect(alpha(45, 80)).toBe(0); // inside the first "O"
    expect(alpha(25, 80)).toBe(255); // its stroke
  });
});

describe('fast SSIM', () => {
  // The quality score must keep the definition (ssim.js defaults); the fast implementation
  // has to agree with ssim.js on real images, including the 128 px inputs and a 4:3 flag.
  it.each([['dev-crypto-atlas.png'], ['dev-flag-us.png'], ['dev-devicon-vitejs.png'], ['dev-si-ocaml.png']])(
    'agrees with ssim.js on %s',
    async (file) => {
      const bytes = readCorpus(file);
      const d = await decodeImage(bytes, DEFAULT_LIMITS);
      const r = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS);
      const a = scorePlanes(d.reference);
      const b = scorePlanes(renderSvg(r.svg, d.reference.width, d.reference.height));
      for (let c = 0; c < 4; c++) {
        const fast = ssimPlane(a.planes[c], b.planes[c], d.reference.width, d.reference.height);
        expect(
          Math.abs(fast - referenceSsim(a.planes[c], b.planes[c], d.reference.width, d.reference.height)),
        ).toBeLessThan(1e-6);
      }
    },
  );

  it.each([[1], [3]])('agrees with ssim.js at a forced downsampling factor %i', async (factor) => {
    const bytes = readCorpus('dev-devicon-vitejs.png');
    const d = await decodeImage(bytes, DEFAULT_LIMITS);
    const r = await convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS);
    const { width: w, height: h } = d.reference;
    const a = scorePlanes(d.reference).planes[3];
    const b = scorePlanes(renderSvg(r.svg, w, h)).planes[3];
    const fast = ssimPlane(a, b, w, h, factor);
    expect(fast).not.toBeCloseTo(ssimPlane(a, b, w, h), 4);
    expect(Math.abs(fast - referenceSsim(a, b, w, h, factor))).toBeLessThan(1e-6);
  });
});

describe('property: any small image', () => {
  it('yields a valid, safe SVG or a typed TracefleetError', async () => {
    const image = fc.record({
      width: fc.integer({ min: 1, max: 40 }),
      height: fc.integer({ min: 1, max: 40 }),
      palette: fc.array(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.constantFrom(0, 128, 255)), {
        minLength: 1,
        maxLength: 5,
      }),
      seed: fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
    });
    await fc.assert(
      fc.asyncProperty(image, async ({ width, height, palette, seed }) => {
        const data = new Uint8Array(width * height * 4);
        for (let p = 0; p < width * height; p++) {
          const c = palette[seed[p % seed.length] % palette.length];
          data.set(c, p * 4);
        }
        const png = await rawToPng(data, width, height);
        try {
          const r = await convertImage(png, { mode: 'auto' }, DEFAULT_LIMITS);
          assertSafeSvg(r.svg);
          expect(r.svg).toContain(`viewBox="0 0 ${width} ${height}"`);
          expect(r.meta.quality.ssim).toBeGreaterThanOrEqual(-1);
          renderSvg(r.svg, width, height);
        } catch (err) {
          expect(err).toBeInstanceOf(TracefleetError);
          // UNTRACEABLE: pixel noise whose every trace lost its ink (never a blank success).
          expect(['IMAGE_TOO_SMALL', 'INVALID_IMAGE', 'UNTRACEABLE']).toContain((err as TracefleetError).code);
        }
      }),
      { numRuns: 30, seed: 42 },
    );
  });

  it('random bytes give a typed error, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 256 }),
        fc.constantFrom(new Uint8Array(), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
        async (body, prefix) => {
          const bytes = new Uint8Array([...prefix, ...body]);
          await expect(convertImage(bytes, { mode: 'auto' }, DEFAULT_LIMITS)).rejects.toBeInstanceOf(TracefleetError);
        },
      ),
      { numRuns: 30, seed: 7 },
    );
  });
});
