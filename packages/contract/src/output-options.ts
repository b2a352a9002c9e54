import Type, { type Static, type TSchema } from 'typebox';
import { TracefleetError } from '@tracefleet/errors';
import { PRESETS } from './options.js';
import { expectation } from './schema.js';

/**
 * The output options: how a finished vector result is delivered (format, PNG size, DXF units). They
 * are validated like the conversion options (same message, same schemas for HTTP, CLI and OpenAPI)
 * but never change the tracing, so they are not part of the result key: every format of an image is
 * derived from its one cached vector result. `outputKey` names a derived rendition.
 */
export const FORMATS = ['svg', 'pdf', 'eps', 'dxf', 'png'] as const;
export type Format = (typeof FORMATS)[number];
export const DXF_UNITS = ['px', 'mm'] as const;
export type DxfUnits = (typeof DXF_UNITS)[number];

export const OUTPUT_OPTION_SCHEMAS = {
  format: Type.Enum([...FORMATS], {
    default: 'svg',
    description:
      'Output format: `svg`, `pdf` and `eps` (curves, colours, gradients), `dxf` (outlines, a layer per colour), `png`',
  }),
  size: Type.Integer({
    minimum: 16,
    maximum: 4096,
    description: '`png` only: long side in px (default: the input image size)',
  }),
  dxfUnits: Type.Enum([...DXF_UNITS], {
    default: 'px',
    description: '`dxf` only: drawing units, `px` (1 unit = 1 px) or `mm` (at `dpi`)',
  }),
  dpi: Type.Integer({
    minimum: 10,
    maximum: 2400,
    default: 96,
    description: '`dxf` with `dxfUnits=mm` only: pixels per inch of the input',
  }),
} as const;

export type OutputOptionName = keyof typeof OUTPUT_OPTION_SCHEMAS;
export const OUTPUT_OPTION_NAMES = Object.keys(OUTPUT_OPTION_SCHEMAS) as OutputOptionName[];

/** Output options after validation; the options a format does not use are absent. */
export const OutputOptionsSchema = Type.Object(
  {
    format: OUTPUT_OPTION_SCHEMAS.format,
    size: Type.Optional(OUTPUT_OPTION_SCHEMAS.size),
    dxfUnits: Type.Optional(OUTPUT_OPTION_SCHEMAS.dxfUnits),
    dpi: Type.Optional(OUTPUT_OPTION_SCHEMAS.dpi),
  },
  { additionalProperties: false },
);
export type OutputOptions = Static<typeof OutputOptionsSchema>;

/** What a client may send (route query strings spread its properties): every output option optional. */
export const OutputQuerySchema = Type.Object({
  format: Type.Optional(OUTPUT_OPTION_SCHEMAS.format),
  size: Type.Optional(OUTPUT_OPTION_SCHEMAS.size),
  dxfUnits: Type.Optional(OUTPUT_OPTION_SCHEMAS.dxfUnits),
  dpi: Type.Optional(OUTPUT_OPTION_SCHEMAS.dpi),
});

const schemaOf = (name: OutputOptionName) =>
  OUTPUT_OPTION_SCHEMAS[name] as unknown as TSchema & Record<string, unknown>;

/** The message of a bad output option value, the same from HTTP and the CLI. */
export function badOutputOption(name: OutputOptionName, value: unknown): TracefleetError {
  return new TracefleetError('BAD_REQUEST', `${name} must be ${expectation(schemaOf(name))} (got "${String(value)}")`);
}

/** Lower-cases enum values (`PDF` means `pdf`) and drops empty ones, leaving other fields alone. */
export function canonicalOutputInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const name of OUTPUT_OPTION_NAMES) {
    const v = out[name];
    if (v === '') delete out[name];
    else if (typeof v === 'string' && 'enum' in schemaOf(name)) out[name] = v.toLowerCase();
  }
  return out;
}

function check(name: OutputOptionName, raw: unknown): string | number {
  const schema = schemaOf(name);
  const bad = () => badOutputOption(name, raw);
  if (Array.isArray(schema.enum)) {
    if (typeof raw !== 'string' || !schema.enum.includes(raw)) throw bad();
    return raw;
  }
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < (schema.minimum as number) || n > (schema.maximum as number)) throw bad();
  return n;
}

/** Validates loose input (query strings, CLI flags); other keys are ignored (they are conversion options). */
export function normalizeOutputOptions(raw: Record<string, unknown> = {}): OutputOptions {
  const input = canonicalOutputInput(raw);
  const given = (name: OutputOptionName) => input[name] !== undefined && input[name] !== '';
  const value = <T>(name: OutputOptionName, fallback: T): T =>
    given(name) ? (check(name, input[name]) as T) : fallback;
  // A preset may name a format (cutter → dxf); an explicit `format` wins.
  const preset = PRESETS[String(raw.preset ?? '').toLowerCase() as keyof typeof PRESETS] as
    { output?: { format?: Format } } | undefined;
  const format = value<Format>('format', preset?.output?.format ?? 'svg');
  // Every given value is validated, even one the format ignores (a typo is reported, not dropped).
  const size = value<number | undefined>('size', undefined);
  const dxfUnits = value<DxfUnits>('dxfUnits', 'px');
  const dpi = value<number>('dpi', 96);
  if (format === 'png') return size === undefined ? { format } : { format, size };
  if (format === 'dxf') return dxfUnits === 'mm' ? { format, dxfUnits, dpi } : { format, dxfUnits };
  return { format };
}

/**
 * Stable name of a rendition in cache keys: `pdf`, `png-512`, `png-o` (input size), `dxf-px`,
 * `dxf-mm-300`. Only the options the format uses, so ignored options never split the cache.
 */
export function outputKey(o: OutputOptions): string {
  if (o.format === 'png') return `png-${o.size ?? 'o'}`;
  if (o.format === 'dxf') return o.dxfUnits === 'mm' ? `dxf-mm-${o.dpi ?? 96}` : 'dxf-px';
  return o.format;
}
