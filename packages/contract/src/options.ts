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

/** Other spellings accepted from users, mapped to the canonical value. */
const ALIASES: Record<string, Record<string, string>> = { mode: { colour: 'color' } };

export const OPTION_SCHEMAS = {
  mode: Type.Enum([...MODES], {
    default: 'auto',
    description: '`mono`: one ink colour on its background; `color`: a layer per colour; `auto`: chosen per logo',
  }),
  colors: Type.Integer({
    minimum: 2,
    maximum: 64,
    description: 'Palette size cap; the pipeline chooses per logo type when omitted',
  }),
} as const;

export type OptionName = keyof typeof OPTION_SCHEMAS;
/** An option's schema as the JSON Schema object it is (bounds, enum, description). */
const schemaOf = (name: string): Record<string, unknown> | undefined =>
  (OPTION_SCHEMAS as unknown as Record<string, Record<string, unknown>>)[name];
export const OPTION_NAMES = Object.keys(OPTION_SCHEMAS) as OptionName[];

/** Options after validation: the canonical form (every field has exactly one spelling). */
export const ConvertOptionsSchema = Type.Object(
  { mode: OPTION_SCHEMAS.mode, colors: Type.Optional(OPTION_SCHEMAS.colors) },
  { additionalProperties: false },
);
export type ConvertOptions = Static<typeof ConvertOptionsSchema>;

/**
 * What a client may send: every option optional, aliases accepted. Route schemas spread
 * `OptionsQuerySchema.properties` into their query string.
 */
export const OptionsQuerySchema = Type.Object({
  mode: Type.Optional(
    Type.Enum([...MODES, ...Object.keys(ALIASES.mode)], {
      default: 'auto',
      description: schemaOf('mode')!.description as string,
    }),
  ),
  colors: Type.Optional(OPTION_SCHEMAS.colors),
});

/** The message of a bad option value, the same from HTTP and the CLI. */
export function badOption(name: string, value: unknown): TracefleetError {
  const schema = schemaOf(name);
  const must = schema ? expectation(schema) : 'a known option';
  return new TracefleetError('BAD_REQUEST', `${name} must be ${must} (got "${String(value)}")`);
}

/** Lower-cases enum values and maps aliases, so `COLOUR` and `colour` mean `color`; empty = unset. */
export function canonicalInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const name of OPTION_NAMES) {
    const v = out[name];
    if (v === undefined || v === '') {
      delete out[name];
      continue;
    }
    if (typeof v === 'string' && 'enum' in OPTION_SCHEMAS[name]) {
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
  const c = canonicalInput(input);
  const mode = (c.mode === undefined ? 'auto' : checkOption('mode', c.mode)) as Mode;
  if (c.colors === undefined) return { mode };
  return { mode, colors: checkOption('colors', c.colors) as number };
}

/**
 * Stable string form of the options in cache keys and job ids: `<mode>.<colors or a>`. Never
 * contains `:` (the key separator); see keys.ts.
 */
export function optionsKey(o: ConvertOptions): string {
  return `${o.mode}.${o.colors ?? 'a'}`;
}
