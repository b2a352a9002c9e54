import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import sharp from 'sharp';
import { convertCommand, type ConvertFlags } from './convert-command.js';
import { addOptionFlags, addOutputFlags } from './option-flags.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-cli-formats-'));
process.env.CACHE_DIR = path.join(dir, 'cache');
process.env.PIPELINE_THREADS = '1';
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The flags commander gives the action for `argv` (the flags are generated from the option schemas). */
function flagsOf(argv: string[]): ConvertFlags {
  const cmd = addOutputFlags(addOptionFlags(new Command('convert')))
    .requiredOption('-o, --out <dir>', 'out')
    .option('--json')
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  return cmd.opts() as ConvertFlags;
}

describe('tracefleet convert --format', () => {
  const inputs = ['dev-si-europeanunion.png', 'dev-flag-us.png'].map((f) => path.join(CORPUS, f));

  it('writes each file with the extension of its format', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const pdfDir = path.join(dir, 'pdf');
      expect(await convertCommand(inputs, flagsOf(['--format', 'PDF', '-o', pdfDir]))).toBe(0);
      expect(fs.readdirSync(pdfDir).sort()).toEqual(['dev-flag-us.pdf', 'dev-si-europeanunion.pdf']);
      for (const f of fs.readdirSync(pdfDir))
        expect(fs.readFileSync(path.join(pdfDir, f)).subarray(0, 5).toString()).toBe('%PDF-');

      const pngDir = path.join(dir, 'png');
      expect(await convertCommand(inputs, flagsOf(['--format', 'png', '--size', '64', '-o', pngDir]))).toBe(0);
      const meta = await sharp(path.join(pngDir, 'dev-flag-us.png')).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBe(64);

      const dxfDir = path.join(dir, 'dxf');
      expect(
        await convertCommand(inputs, flagsOf(['--format', 'dxf', '--dxf-units', 'mm', '--dpi', '300', '-o', dxfDir])),
      ).toBe(0);
      expect(fs.readFileSync(path.join(dxfDir, 'dev-flag-us.dxf'), 'utf8')).toMatch(
        /\$INSUNITS\r?\n\s*70\r?\n\s*4\r?\n/,
      );

      const svgDir = path.join(dir, 'svg');
      expect(await convertCommand(inputs, flagsOf(['-o', svgDir]))).toBe(0);
      expect(fs.readdirSync(svgDir).sort()).toEqual(['dev-flag-us.svg', 'dev-si-europeanunion.svg']);
    } finally {
      write.mockRestore();
    }
  });

  it('refuses a bad output option with the API words, before converting anything', async () => {
    await expect(convertCommand(inputs, flagsOf(['--format', 'tiff', '-o', path.join(dir, 'bad')]))).rejects.toThrow(
      'format must be one of svg, pdf, eps, dxf, png (got "tiff")',
    );
    await expect(
      convertCommand(inputs, flagsOf(['--format', 'png', '--size', '9', '-o', path.join(dir, 'bad')])),
    ).rejects.toThrow('size must be an integer from 16 to 4096 (got "9")');
    expect(fs.existsSync(path.join(dir, 'bad'))).toBe(false);
  });
});
