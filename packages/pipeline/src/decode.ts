import sharp from 'sharp';
import { TracefleetError } from '@tracefleet/errors';
import type { RgbaImage } from './image.js';
import type { Limits } from './options.js';
import { estimateNoise, NOISY_SIGMA } from './algorithms/denoise.js';

sharp.cache(false);
sharp.concurrency(1); // parallelism comes from the thread pool, not from libvips threads

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ProbeResult {
  format: ImageFormat;
  width: number;
  height: number;
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
  return { format, width, height };
}

export interface DecodedImage {
  /** Pixels at tracing resolution. */
  image: RgbaImage;
  /** Pixels at the input's own (oriented) size, the reference for scoring. */
  original: RgbaImage;
  /** tracing size / original size */
  scale: number;
  format: ImageFormat;
  hasAlpha: boolean;
  /** Estimated noise of the input (8-bit σ, algorithms/denoise.ts). */
  noise: number;
  /** The tracing copy was denoised: lossy or noisy input, whose colours are clustered loosely. */
  noisy: boolean;
}

/** Upscale factor for small logos: potrace needs a few pixels per feature to find curves. */
const MIN_TRACE_SIDE = 384;

/**
 * Decodes once with sharp (honouring EXIF orientation, keeping alpha, refusing pixel bombs before
 * allocation) and derives the tracing-resolution copy. User bytes never reach any other decoder.
 */
export async function decodeImage(bytes: Uint8Array, limits: Limits): Promise<DecodedImage> {
  const { format } = await probeImage(bytes, limits);
  let original: RgbaImage;
  let hasAlpha: boolean;
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxInputPixels, failOn: 'error', pages: 1 })
      .rotate()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const meta = await sharp(bytes, { limitInputPixels: limits.maxInputPixels }).metadata();
    hasAlpha = Boolean(meta.hasAlpha);
    original = {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    if (/pixel limit/i.test(msg)) throw new TracefleetError('IMAGE_TOO_LARGE', msg, { cause: err });
    throw new TracefleetError('INVALID_IMAGE', `cannot decode the ${format} image: ${msg}`, { cause: err });
  }
  checkDimensions(original.width, original.height, limits);
  const long = Math.max(original.width, original.height);
  let scale = 1;
  if (long > limits.maxTraceDimension) scale = limits.maxTraceDimension / long;
  else if (long < MIN_TRACE_SIDE) scale = Math.min(4, Math.ceil(MIN_TRACE_SIDE / long));
  let image = original;
  const noise = estimateNoise(original);
  // JPEG blocks and ringing, and scan noise, would become speckle colours: a median on the tracing
  // copy flattens them and keeps edges where they are (the score still compares with the untouched
  // input). 5×5 where noise is measured (algorithms/denoise.ts), 3×3 for JPEG's local artefacts.
  const median = noise > NOISY_SIGMA ? 5 : format === 'jpeg' ? 3 : 0;
  if (scale !== 1 || median) {
    const width = Math.max(1, Math.round(original.width * scale));
    const height = Math.max(1, Math.round(original.height * scale));
    let pipeline = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
      raw: { width: original.width, height: original.height, channels: 4 },
    });
    if (scale !== 1)
      pipeline = pipeline.resize(width, height, { kernel: scale > 1 ? 'cubic' : 'lanczos3', fit: 'fill' });
    if (median) pipeline = pipeline.median(median);
    const data = await pipeline.raw().toBuffer();
    image = { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    scale = width / original.width;
  }
  return { image, original, scale, format, hasAlpha, noise, noisy: median > 0 };
}
