import { Compile } from 'typebox/compile';
import type { Static, TSchema } from 'typebox';
import { TracefleetError, type ErrorCode } from '@tracefleet/errors';

/**
 * Runtime validation at the boundaries (HTTP query, CLI flags, job payloads crossing the queue,
 * job results read back): one compiled validator per schema, failures as typed errors that name
 * the field.
 */
const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

function validator(schema: TSchema) {
  let v = compiled.get(schema);
  if (!v) {
    v = Compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** What a value of `schema` must be, in words: "an integer from 2 to 64", "one of auto, mono, color". */
export function expectation(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.join(', ')}`;
  const kind =
    schema.type === 'integer' ? 'an integer' : schema.type === 'number' ? 'a number' : `a ${String(schema.type)}`;
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

/** True when `value` is a valid `schema`. */
export function isValid<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return validator(schema).Check(value);
}

/** The value typed by its schema, or a TracefleetError (`code`) naming the first bad field. */
export function parseWith<T extends TSchema>(
  schema: T,
  value: unknown,
  what: string,
  code: ErrorCode = 'BAD_REQUEST',
): Static<T> {
  const v = validator(schema);
  if (v.Check(value)) return value as Static<T>;
  const first = [...v.Errors(value)][0];
  const field = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
  throw new TracefleetError(
    code,
    `invalid ${what}${field ? `: ${field}` : ''} ${first?.message ?? 'does not match its schema'}`,
  );
}
