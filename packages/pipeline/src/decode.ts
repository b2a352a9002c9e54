import sharp from 'sharp';
import { TracefleetError } from '@tracefleet/errors';
import type { RgbaImage } from './image.js';
import { jpegScanCount } from './jpeg-scans.js';
import { decodePng, pngHeader } from './png.js';
import type { Limits } from './options.js';
import { estimateNoise, NOISY_SIGMA } from './algorithms/denoise.js';
import { bufferView, SLOT, wasm } from './wasm.js';

sharp.cache(false);
sharp.concurrency(1); // parallelism comes from the thread pool, not from libvips threads

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ProbeResult {
  format: ImageFormat;
  width: number;
  height: number;
  hasAlpha: boolean;
}

function sniff(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (
    bytes.length >= 12 &&
    String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP'
  )
    return 'webp';
  return undefined;
}

function checkDimensions(width: number, height: number, limits: Limits): void {
  if (width * height > limits.maxInputPixels) {
    throw new TracefleetError(
      'IMAGE_TOO_LARGE',
      `image is ${width}x${height} = ${width * height} pixels; the limit is ${limits.maxInputPixels}`,
    );
  }
  if (width < limits.minDimension || height < limits.minDimension) {
    throw new TracefleetError(
      'IMAGE_TOO_SMALL',
      `image is ${width}x${height}; both sides must be at least ${limits.minDimension} px`,
    );
  }
}

/**
 * Header-only check: magic bytes and declared dimensions, no pixel decoding. Cheap enough for the
 * API to run on every upload so bombs and non-images never reach the queue.
 */
export async function probeImage(bytes: Uint8Array, limits: Limits): Promise<ProbeResult> {
  if (bytes.length === 0) throw new TracefleetError('INVALID_IMAGE', 'the image is empty (0 bytes)');
  const format = sniff(bytes);
  if (!format) throw new TracefleetError('INVALID_IMAGE', 'not a PNG, JPEG or WebP image');
  if (format === 'jpeg') {
    const scans = jpegScanCount(bytes, limits.maxJpegScans);
    if (scans > limits.maxJpegScans)
      throw new TracefleetError(
        'IMAGE_TOO_COMPLEX',
        `the JPEG has more than ${limits.maxJpegScans} scans (MAX_JPEG_SCANS); encoders write a few dozen at most`,
      );
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new TracefleetError('INVALID_IMAGE', `cannot read the ${format} header: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (!meta.width || !meta.height) throw new TracefleetError('INVALID_IMAGE', 'the image declares no dimensions');
  // EXIF orientations 5-8 swap the sides.
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  checkDimensions(width, height, limits);
  return { format, width, height, hasAlpha: Boolean(meta.hasAlpha) };
}

export interface DecodedImage {
  /** Pixels at tracing resolution. */
  image: RgbaImage;
  /** The input's own (oriented) size: the size of the SVG. */
  original: { width: number; height: number };
  /**
   * The reference for scoring: the input's pixels at its own size, or scaled down (each side on its
   * own) to fit scoreSide() when it is bigger, so scoring costs the same for every input.
   */
  reference: RgbaImage;
  /** tracing size / original size */
  scale: number;
  format: ImageFormat;
  hasAlpha: boolean;
  /** Estimated noise of the input (8-bit σ, algorithms/denoise.ts). */
  noise: number;
  /** The tracing copy was denoised: lossy or noisy input, whose colours are clustered loosely. */
  noisy: boolean;
}

/**
 * Logos with a long side under UPSCALE_BELOW are traced upscaled by a whole factor (at most 4) to at
 * least UPSCALE_TO: potrace needs a few pixels per feature to find curves, and the interpolated
 * antialiasing places edges between input pixels. Measured on bench:fidelity's 128 px kind (30
 * logos, median SSIM vs source / bytes, no label smoothing): ×3 0.982 / 4.2 KB, ×4 0.986 / 4.8 KB,
 * ×6 0.988 / 9.7 KB; the label smoothing (LABEL_SMOOTHING) takes the bytes down again. Inputs from
 * UPSCALE_BELOW up stay at their size (their hairlines keep stroke colours of their own).
 */
const UPSCALE_BELOW = 384;
const UPSCALE_TO = 512;

/** Longest side an input is scored at (bigger inputs are scored at this size): twice the tracing size. */
export function scoreSide(limits: Limits): number {
  return 2 * limits.maxTraceDimension;
}

/** width × height scaled so the long side is at most `side`, each side rounded and at least 1. */
function fitWithin(width: number, height: number, side: number): { width: number; height: number } {
  const k = Math.min(1, side / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

const asImage = (data: Buffer, width: number, height: number): RgbaImage => ({
  width,
  height,
  data: new Uint8Array(data.buffer, data.byteOffset, data.length),
});

/**
 * libvips work runs on libuv's threads, which terminating a pool thread does not stop: each sharp
 * call gets sharp's own timeout at the conversion's deadline (whole seconds, at least 1), so libvips
 * kills its pipeline about when the pool gives up on the thread. 0 = no deadline.
 */
function secondsLeft(deadline: number | undefined): number {
  return deadline === undefined ? 0 : Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
}

function decodeError(err: unknown, format: ImageFormat): TracefleetError {
  const msg = (err as Error).message ?? String(err);
  if (/pixel limit/i.test(msg)) return new TracefleetError('IMAGE_TOO_LARGE', msg, { cause: err });
  if (/^timeout/i.test(msg))
    return new TracefleetError('TIMEOUT', `decoding the ${format} image ran past the time limit (${msg})`, {
      cause: err,
    });
  return new TracefleetError('INVALID_IMAGE', `cannot decode the ${format} image: ${msg}`, { cause: err });
}

/** Raw RGBA pixels as a sharp input. */
const rawOf = (img: RgbaImage) =>
  sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 4 },
  });

/**
 * `img` upscaled by the whole factor k. sharp's resize puts each output pixel half an output pixel
 * off (a 128 px logo at ×3 came out shifted by 1/6 px and one tracing pixel too big); an affine map
 * with pixel centres aligned (output x + ½ = k·(input x + ½)) keeps every edge where it was, over the
 * input extended by copies of its border so the interpolation does not blend the picture's edge with
 * black. That is libvips' bicubic affine, which wasm/upscale.c computes to the same bytes as sharp's
 * `extend` + `affine` did (upscale.test.ts) for a fraction of the CPU (`decodeImage` of a 128 px
 * logo, upscaled ×4: 17.0–17.8 → 4.8 ms).
 */
export function upscale(img: RgbaImage, k: number): Buffer {
  const ex = wasm();
  bufferView(SLOT.upscaleIn, img.data.length).set(img.data);
  if (ex.tf_upscale(img.width, img.height, k) !== 0)
    throw new TracefleetError('PIPELINE_FAILED', 'no memory in the wasm module to upscale the image');
  const out = Buffer.allocUnsafe(img.width * k * img.height * k * 4);
  out.set(bufferView(SLOT.upscaleOut, out.length)); // the module's buffer is reused by later calls
  return out;
}

/** The input's pixels at its own size, or at `bounded` when it is bigger (see decodeImage). */
interface InputPixels {
  reference: RgbaImage;
  original: { width: number; height: number };
  format: ImageFormat;
  hasAlpha: boolean;
}

/**
 * Decodes with sharp (honouring EXIF orientation, keeping alpha, refusing pixel bombs before
 * allocation). An input bigger than the scoring size is decoded straight to it (libvips shrinks while
 * it reads: a 4×10,000,000 PNG never exists as 160 MB of pixels), so cost and memory stay bounded.
 */
async function decodeWithSharp(bytes: Uint8Array, limits: Limits, deadline?: number): Promise<InputPixels> {
  const probe = await probeImage(bytes, limits);
  const { format, hasAlpha } = probe;
  const bounded = fitWithin(probe.width, probe.height, scoreSide(limits));
  const shrink = bounded.width !== probe.width || bounded.height !== probe.height;
  let reference: RgbaImage;
  try {
    let decode = sharp(bytes, { limitInputPixels: limits.maxInputPixels, failOn: 'error', pages: 1 }).rotate();
    if (shrink) decode = decode.resize(bounded.width, bounded.height, { kernel: 'lanczos3', fit: 'fill' });
    const { data, info } = await decode
      .timeout({ seconds: secondsLeft(deadline) })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    reference = asImage(data, info.width, info.height);
  } catch (err) {
    throw decodeError(err, format);
  }
  const original = shrink ? { width: probe.width, height: probe.height } : reference;
  return { reference, original, format, hasAlpha };
}

/**
 * The input's pixels: a common PNG within the scoring size by the PNG fast path (png.ts, the same
 * pixels without sharp's per-call cost), anything else by sharp.
 */
async function inputPixels(bytes: Uint8Array, limits: Limits, deadline?: number): Promise<InputPixels> {
  const side = scoreSide(limits);
  const header = pngHeader(bytes);
  if (header && header.width <= side && header.height <= side) {
    checkDimensions(header.width, header.height, limits);
    const png = decodePng(bytes, limits.maxInputPixels, header);
    if (png) return { reference: png.image, original: png.image, format: 'png', hasAlpha: png.hasAlpha };
  }
  return decodeWithSharp(bytes, limits, deadline);
}

/**
 * Decodes once (inputPixels) and derives the tracing-resolution copy. User bytes reach no decoder
 * but sharp's and the PNG fast path's. `deadline` (epoch ms) stops libvips itself when the
 * conversion runs out of time.
 */
export async function decodeImage(bytes: Uint8Array, limits: Limits, deadline?: number): Promise<DecodedImage> {
  const { reference, original, format, hasAlpha } = await inputPixels(bytes, limits, deadline);
  checkDimensions(original.width, original.height, limits);
  const long = Math.max(original.width, original.height);
  let scale = 1;
  if (long > limits.maxTraceDimension) scale = limits.maxTraceDimension / long;
  else if (long < UPSCALE_BELOW) scale = Math.min(4, Math.ceil(UPSCALE_TO / long));
  let image = reference;
  const noise = estimateNoise(reference);
  // JPEG blocks and ringing, and scan noise, would become speckle colours: a median on the tracing
  // copy flattens them and keeps edges where they are (the score still compares with the untouched
  // input). 5×5 where noise is measured (algorithms/denoise.ts), 3×3 for JPEG's local artefacts.
  const median = noise > NOISY_SIGMA ? 5 : format === 'jpeg' ? 3 : 0;
  if (scale !== 1 || median) {
    const width = Math.max(1, Math.round(original.width * scale));
    const height = Math.max(1, Math.round(original.height * scale));
    const run = (pipeline: sharp.Sharp) =>
      pipeline
        .timeout({ seconds: secondsLeft(deadline) })
        .raw()
        .toBuffer()
        .catch((err: unknown) => {
          throw decodeError(err, format);
        });
    let data: Buffer;
    if (width > reference.width) {
      data = upscale(reference, width / reference.width);
      if (median) data = await run(rawOf(asImage(data, width, height)).median(median));
    } else {
      let pipeline = rawOf(reference);
      if (width !== reference.width || height !== reference.height)
        pipeline = pipeline.resize(width, height, { kernel: 'lanczos3', fit: 'fill' });
      if (median) pipeline = pipeline.median(median);
      data = await run(pipeline);
    }
    image = asImage(data, width, height);
    scale = width / original.width;
  }
  return {
    image,
    original: { width: original.width, height: original.height },
    reference,
    scale,
    format,
    hasAlpha,
    noise,
    noisy: median > 0,
  };
}
