import { canonicalInput, canonicalOutputInput } from '@tracefleet/contract';

/** Rewrites a parsed query string in place to the canonical spelling of its conversion and output options. */
export function canonicalizeQuery(query: Record<string, unknown>): void {
  const canonical = canonicalOutputInput(canonicalInput(query));
  for (const k of Object.keys(query)) if (!(k in canonical)) delete query[k];
  Object.assign(query, canonical);
}
