import { describe, expect, it } from 'vitest';
import { hashBytes, imageHashOf, outputKeyOf, parseKey, resultKey } from './keys.js';
import { normalizeOptions, optionsKey } from './options.js';
import { normalizeOutputOptions, outputKey } from './output-options.js';

describe('output options', () => {
  it('normalises, keeping only what the format uses', () => {
    expect(normalizeOutputOptions({})).toEqual({ format: 'svg' });
    expect(normalizeOutputOptions({ format: 'PDF', size: '64' })).toEqual({ format: 'pdf' });
    expect(normalizeOutputOptions({ format: 'png', size: '512' })).toEqual({ format: 'png', size: 512 });
    expect(normalizeOutputOptions({ format: 'dxf', dpi: '300' })).toEqual({ format: 'dxf', dxfUnits: 'px' });
    expect(normalizeOutputOptions({ format: 'dxf', dxfUnits: 'mm', dpi: '300' })).toEqual({
      format: 'dxf',
      dxfUnits: 'mm',
      dpi: 300,
    });
    expect(normalizeOutputOptions({ format: 'dxf', dxfUnits: 'mm' })).toEqual({
      format: 'dxf',
      dxfUnits: 'mm',
      dpi: 96,
    });
  });

  it('answers a bad value with BAD_REQUEST naming the option, even one the format ignores', () => {
    expect(() => normalizeOutputOptions({ format: 'tiff' })).toThrow(
      'format must be one of svg, pdf, eps, dxf, png (got "tiff")',
    );
    expect(() => normalizeOutputOptions({ format: 'png', size: '8' })).toThrow(
      'size must be an integer from 16 to 4096 (got "8")',
    );
    expect(() => normalizeOutputOptions({ format: 'pdf', size: '5000' })).toThrow(/^size must be/);
    expect(() => normalizeOutputOptions({ format: 'dxf', dxfUnits: 'in' })).toThrow(/^dxfUnits must be one of px, mm/);
    expect(() => normalizeOutputOptions({ format: 'dxf', dpi: '2.5' })).toThrow(/^dpi must be an integer from 10/);
    try {
      normalizeOutputOptions({ format: 'gif' });
    } catch (err) {
      expect((err as { code: string }).code).toBe('BAD_REQUEST');
    }
  });

  it('takes the format a preset implies unless the request names one', () => {
    expect(normalizeOutputOptions({ preset: 'cutter' })).toEqual({ format: 'dxf', dxfUnits: 'px' });
    expect(normalizeOutputOptions({ preset: 'CUTTER', format: 'svg' })).toEqual({ format: 'svg' });
    expect(normalizeOutputOptions({ preset: 'logo' })).toEqual({ format: 'svg' });
  });

  it('is not part of the conversion options or their key', () => {
    const q = { mode: 'mono', format: 'png', size: '64' };
    expect(optionsKey(normalizeOptions(q))).toBe(optionsKey(normalizeOptions({ mode: 'mono' })));
  });

  it('names renditions by the options their format uses', () => {
    expect(outputKey({ format: 'pdf' })).toBe('pdf');
    expect(outputKey({ format: 'png' })).toBe('png-o');
    expect(outputKey({ format: 'png', size: 512 })).toBe('png-512');
    expect(outputKey({ format: 'dxf', dxfUnits: 'px' })).toBe('dxf-px');
    expect(outputKey({ format: 'dxf', dxfUnits: 'mm', dpi: 300 })).toBe('dxf-mm-300');
  });

  it('keys a rendition under its result: same version, image and options', () => {
    const h = hashBytes(Buffer.from('logo'));
    const k = outputKeyOf(resultKey(h, 'color.4', '3'), 'png-512');
    expect(k).toBe(`v3:o:${h}:color.4+png-512`);
    expect(parseKey(k)).toEqual({ kind: 'output', version: '3', imageHash: h, options: 'color.4', output: 'png-512' });
    expect(imageHashOf(k)).toBe(h);
    expect(parseKey(`v3:o:${h}:color.4`)).toBeUndefined();
    expect(parseKey(`v3:o:${h}`)).toBeUndefined();
    expect(() => outputKeyOf(k, 'pdf')).toThrow(/not a result key/);
  });
});
