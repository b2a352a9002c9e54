import Type, { type Static } from 'typebox';
import { TracefleetError } from '@tracefleet/errors';
import { expectation } from './schema.js';

/**
 * The conversion options: each is defined once here (bounds, default, description). The same
 * schemas validate HTTP query strings (Fastify route schemas, and so the OpenAPI document), CLI
 * flags and job payloads; `optionsKey` turns the canonical form into its part of the cache key.
 */
export const MODES = ['auto', 'mono', 'color'] as const;
export type Mode = (typeof MODES)[number];
export const BACKGROUNDS = ['keep', 'remove'] as const;
export const STACKINGS = ['stacked', 'cutout'] as const;
export const CURVES = ['smooth', 'polygon'] as const;

/** Most colours a `palette` may list. */
export const MAX_PALETTE = 64;
const HEX = '#?[0-9a-fA-F]{6}';

/**
 * Named bundles of options (`GET /v1/presets`); options given explicitly override them. Values are
 * in canonical form. `logo` is the defaults.
 */
export const PRESETS = {
  logo: { description: 'The defaults: colours and detail chosen per logo', options: {} },
  icon: {
    description: 'Small flat icons: at most 8 colours, no specks, transparent background',
    options: { colors: 8, minArea: 16, background: 'remove' },
  },
  lineart: {
    description: 'Ink drawings and scans: one ink colour, transparent paper, small specks dropped',
    options: { mode: 'mono', background: 'remove', minArea: 4 },
  },
  cutter: {
    description: 'Plotters, cutters and embroidery: one colour, shapes that never overlap, straight segments',
    options: { mode: 'mono', stacking: 'cutout', curves: 'polygon' },
    /** Delivered as DXF unless the request names a format (output-options.ts). */
    output: { format: 'dxf' },
  },
} as const satisfies Record<
  string,
  { description: string; options: Record<string, unknown>; output?: Record<string, string> }
>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Other spellings accepted from users, mapped to the canonical value. */
const ALIASES: Record<string, Record<string, string>> = { mode: { colour: 'color' } };

export const OPTION_SCHEMAS = {
  preset: Type.Enum([...PRESET_NAMES], {
    description: 'A bundle of the options below (`GET /v1/presets`); options given explicitly override it',
  }),
  mode: Type.Enum([...MODES], {
    default: 'auto',
    description: '`mono`: one ink colour on its background; `color`: a layer per colour; `auto`: chosen per logo',
  }),
  colors: Type.Integer({
    minimum: 2,
    maximum: 64,
    description: 'Palette size cap; the pipeline chooses per logo type when omitted',
  }),
  palette: Type.String({
    pattern: `^${HEX}(,${HEX}){0,${MAX_PALETTE - 1}}$`,
    examples: ['0a66c2,ffffff'],
    description: 'Exact output colours: every region snaps to its nearest one (CIE Lab distance)',
  }),
  background: Type.Enum([...BACKGROUNDS], {
    default: 'keep',
    description: '`remove`: the region connected to the border (or the transparent area) is not drawn',
  }),
  minArea: Type.Integer({
    minimum: 0,
    maximum: 10000,
    description: 'Shapes smaller than this many px² (input scale) are dropped; chosen per logo type when omitted',
  }),
  stacking: Type.Enum([...STACKINGS], {
    default: 'stacked',
    description: '`cutout`: shapes never overlap (each point is covered by at most one shape)',
  }),
  curves: Type.Enum([...CURVES], {
    default: 'smooth',
    description: '`polygon`: straight segments only',
  }),
} as const;

export type OptionName = keyof typeof OPTION_SCHEMAS;
/** An option's schema as the JSON Schema object it is (bounds, enum, description). */
const schemaOf = (name: string): Record<string, unknown> | undefined =>
  (OPTION_SCHEMAS as unknown as Record<string, Record<string, unknown>>)[name];
export const OPTION_NAMES = Object.keys(OPTION_SCHEMAS) as OptionName[];

/** Canonical palette: lower-case RRGGBB, sorted, no repeats (order never changes the result). */
const CanonicalPalette = Type.String({ pattern: `^[0-9a-f]{6}(,[0-9a-f]{6}){0,${MAX_PALETTE - 1}}$` });

/**
 * Options after validation: the canonical form (every field has exactly one spelling; a preset is
 * expanded; new options at their default are absent, so default requests keep their old keys).
 */
export const ConvertOptionsSchema = Type.Object(
  {
    mode: OPTION_SCHEMAS.mode,
    colors: Type.Optional(OPTION_SCHEMAS.colors),
    palette: Type.Optional(CanonicalPalette),
    background: Type.Optional(Type.Literal('remove')),
    minArea: Type.Optional(OPTION_SCHEMAS.minArea),
    stacking: Type.Optional(Type.Literal('cutout')),
    curves: Type.Optional(Type.Literal('polygon')),
  },
  { additionalProperties: false },
);
export type ConvertOptions = Static<typeof ConvertOptionsSchema>;

/** The schema of an option as a query parameter: no `default` (ajv would fill it in over a preset). */
function querySchema(name: OptionName, extra: readonly string[] = []) {
  const { default: def, ...rest } = schemaOf(name)!;
  const description = `${String(rest.description)}${def === undefined ? '' : ` (default \`${String(def)}\`)`}`;
  return Type.Optional(
    Array.isArray(rest.enum)
      ? Type.Enum([...(rest.enum as string[]), ...extra], { description })
      : Type.Unsafe<string | number>({ ...rest, description }),
  );
}

/**
 * What a client may send: every option optional, aliases accepted. Route schemas spread
 * `OptionsQuerySchema.properties` into their query string.
 */
export const OptionsQuerySchema = Type.Object({
  preset: querySchema('preset'),
  mode: querySchema('mode', Object.keys(ALIASES.mode)),
  colors: querySchema('colors'),
  palette: querySchema('palette'),
  background: querySchema('background'),
  minArea: querySchema('minArea'),
  stacking: querySchema('stacking'),
  curves: querySchema('curves'),
});

/** What a value of option `name` must be, in words (error messages and CLI help). */
export function optionExpectation(name: string): string {
  if (name === 'palette') return `1 to ${MAX_PALETTE} hex colours RRGGBB separated by commas`;
  const schema = schemaOf(name);
  return schema ? expectation(schema) : 'a known option';
}

/** The message of a bad option value, the same from HTTP and the CLI. */
export function badOption(name: string, value: unknown): TracefleetError {
  return new TracefleetError('BAD_REQUEST', `${name} must be ${optionExpectation(name)} (got "${String(value)}")`);
}

/**
 * Lower-cases enum values and palettes and maps aliases, so `COLOUR` and `colour` mean `color`
 * and `#0A66C2, #FFF` is read as `0a66c2,fff` (which then fails validation); empty = unset.
 */
export function canonicalInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const name of OPTION_NAMES) {
    const v = out[name];
    if (v === undefined || v === '') {
      delete out[name];
      continue;
    }
    if (typeof v !== 'string') continue;
    if (name === 'palette') out[name] = v.replace(/[\s#]/g, '').toLowerCase();
    else if ('enum' in OPTION_SCHEMAS[name]) {
      const lower = v.toLowerCase();
      out[name] = ALIASES[name]?.[lower] ?? lower;
    }
  }
  return out;
}

function checkOption(name: OptionName, raw: unknown): number | string {
  const schema = schemaOf(name)!;
  if (Array.isArray(schema.enum)) {
    if (typeof raw !== 'string' || !schema.enum.includes(raw)) throw badOption(name, raw);
    return raw;
  }
  if (schema.type === 'string') {
    if (typeof raw !== 'string' || !new RegExp(schema.pattern as string).test(raw)) throw badOption(name, raw);
    return raw;
  }
  const n = typeof raw === 'number' ? raw : Number(raw);
  const integer = schema.type === 'integer';
  const ok =
    Number.isFinite(n) &&
    (!integer || Number.isInteger(n)) &&
    n >= ((schema.minimum as number) ?? -Infinity) &&
    n <= ((schema.maximum as number) ?? Infinity);
  if (!ok) throw badOption(name, raw);
  return n;
}

/** Validates loose user input (query strings, CLI flags) into the canonical ConvertOptions. */
export function normalizeOptions(input: Record<string, unknown> = {}): ConvertOptions {
  const given = canonicalInput(input);
  const preset = given.preset === undefined ? {} : PRESETS[checkOption('preset', given.preset) as PresetName].options;
  const c: Record<string, unknown> = { ...preset, ...given };
  const out: ConvertOptions = { mode: (c.mode === undefined ? 'auto' : checkOption('mode', c.mode)) as Mode };
  if (c.colors !== undefined) out.colors = checkOption('colors', c.colors) as number;
  if (c.palette !== undefined) {
    const colours = (checkOption('palette', c.palette) as string).replaceAll('#', '').split(',');
    out.palette = [...new Set(colours)].sort().join(',');
  }
  if (c.background !== undefined && checkOption('background', c.background) === 'remove') out.background = 'remove';
  if (c.minArea !== undefined) out.minArea = checkOption('minArea', c.minArea) as number;
  if (c.stacking !== undefined && checkOption('stacking', c.stacking) === 'cutout') out.stacking = 'cutout';
  if (c.curves !== undefined && checkOption('curves', c.curves) === 'polygon') out.curves = 'polygon';
  return out;
}

/**
 * Stable string form of the options in cache keys and job ids: `<mode>.<colors or a>`, then one
 * segment per option away from its default (`.pal-0a66c2-ffffff`, `.nobg`, `.min-20`, `.cutout`,
 * `.polygon`), so default requests keep the keys they always had. Never contains `:` (the key
 * separator); see keys.ts.
 */
export function optionsKey(o: ConvertOptions): string {
  let key = `${o.mode}.${o.colors ?? 'a'}`;
  if (o.palette !== undefined) key += `.pal-${o.palette.replaceAll(',', '-')}`;
  if (o.background === 'remove') key += '.nobg';
  if (o.minArea !== undefined) key += `.min-${o.minArea}`;
  if (o.stacking === 'cutout') key += '.cutout';
  if (o.curves === 'polygon') key += '.polygon';
  return key;
}
