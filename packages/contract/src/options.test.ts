import { describe, expect, it } from 'vitest';
import { TracefleetError } from '@tracefleet/errors';
import { canonicalInput, isValid, PRESET_NAMES, PRESETS } from './index.js';
import { ConvertOptionsSchema, normalizeOptions, optionsKey } from './options.js';

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
    expect(() => normalizeOptions({ palette: '0a66c2,fff' })).toThrow(
      'palette must be 1 to 64 hex colours RRGGBB separated by commas (got "0a66c2,fff")',
    );
    const many = Array.from({ length: 65 }, (_, i) => i.toString(16).padStart(6, '0')).join(',');
    expect(() => normalizeOptions({ palette: many })).toThrow(/^palette must be/);
    expect(() => normalizeOptions({ background: 'white' })).toThrow('background must be one of keep, remove');
    expect(() => normalizeOptions({ minArea: '10001' })).toThrow('minArea must be an integer from 0 to 10000');
    expect(() => normalizeOptions({ minArea: '-1' })).toThrow(/^minArea/);
    expect(() => normalizeOptions({ stacking: 'flat' })).toThrow(/^stacking must be one of stacked, cutout/);
    expect(() => normalizeOptions({ curves: 'bezier' })).toThrow(/^curves must be one of smooth, polygon/);
    expect(() => normalizeOptions({ preset: 'poster' })).toThrow(/^preset must be one of logo, icon, lineart, cutter/);
  });

  it('maps aliases and case before validation, leaving other fields alone', () => {
    expect(canonicalInput({ mode: 'Colour', wait: '3' })).toEqual({ mode: 'color', wait: '3' });
    expect(canonicalInput({ palette: '#0A66C2, #FFFFFF', stacking: 'CUTOUT' })).toEqual({
      palette: '0a66c2,ffffff',
      stacking: 'cutout',
    });
  });

  it('has one canonical form per request: defaults omitted, palette sorted without repeats', () => {
    const explicitDefaults = normalizeOptions({ background: 'keep', stacking: 'stacked', curves: 'smooth' });
    expect(explicitDefaults).toEqual({ mode: 'auto' });
    expect(optionsKey(explicitDefaults)).toBe('auto.a');
    const a = normalizeOptions({ palette: 'FFFFFF,0a66c2,ffffff' });
    const b = normalizeOptions({ palette: '#0a66c2,#ffffff' });
    expect(a).toEqual({ mode: 'auto', palette: '0a66c2,ffffff' });
    expect(optionsKey(a)).toBe(optionsKey(b));
    const all = normalizeOptions({
      mode: 'mono',
      palette: '000000',
      background: 'remove',
      minArea: '0',
      stacking: 'cutout',
      curves: 'polygon',
    });
    expect(optionsKey(all)).toBe('mono.a.pal-000000.nobg.min-0.cutout.polygon');
    expect(isValid(ConvertOptionsSchema, all)).toBe(true);
    // Every option away from its default changes the key.
    const keys = [
      {},
      { palette: '000000' },
      { background: 'remove' },
      { minArea: 0 },
      { minArea: 1 },
      { stacking: 'cutout' },
      { curves: 'polygon' },
    ].map((o) => optionsKey(normalizeOptions(o)));
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).not.toContain(':');
  });

  it('expands presets, which explicit options override', () => {
    expect(PRESET_NAMES).toEqual(expect.arrayContaining(['logo', 'icon', 'lineart', 'cutter']));
    expect(normalizeOptions({ preset: 'logo' })).toEqual(normalizeOptions({}));
    expect(normalizeOptions({ preset: 'CUTTER' })).toEqual({ mode: 'mono', stacking: 'cutout', curves: 'polygon' });
    expect(normalizeOptions({ preset: 'cutter', mode: 'color', curves: 'smooth' })).toEqual({
      mode: 'color',
      stacking: 'cutout',
    });
    for (const name of PRESET_NAMES)
      expect(isValid(ConvertOptionsSchema, normalizeOptions({ preset: name })), name).toBe(true);
    expect(PRESETS.icon.options).toMatchObject({ background: 'remove' });
  });
});
