import { describe, expect, it } from 'vitest';
import { TracefleetError } from '@tracefleet/errors';
import { canonicalInput, normalizeOptions, optionsKey } from './options.js';

describe('options', () => {
  it('normalises and validates', () => {
    expect(normalizeOptions({})).toEqual({ mode: 'auto' });
    expect(normalizeOptions({ mode: 'COLOUR', colors: '8' })).toEqual({ mode: 'color', colors: 8 });
    expect(normalizeOptions({ mode: '', colors: '' })).toEqual({ mode: 'auto' });
    expect(optionsKey(normalizeOptions({ mode: 'mono' }))).toBe('mono.a');
    expect(optionsKey(normalizeOptions({ mode: 'color', colors: 4 }))).toBe('color.4');
    expect(() => normalizeOptions({ mode: 'x' })).toThrow(TracefleetError);
    expect(() => normalizeOptions({ colors: '1' })).toThrow(/colors/);
    expect(() => normalizeOptions({ colors: '2.5' })).toThrow(/colors/);
  });

  it('names the option and what it must be', () => {
    expect(() => normalizeOptions({ mode: 'sepia' })).toThrow('mode must be one of auto, mono, color (got "sepia")');
    expect(() => normalizeOptions({ colors: '65' })).toThrow('colors must be an integer from 2 to 64 (got "65")');
  });

  it('maps aliases and case before validation, leaving other fields alone', () => {
    expect(canonicalInput({ mode: 'Colour', wait: '3' })).toEqual({ mode: 'color', wait: '3' });
  });
});
