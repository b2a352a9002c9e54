import fs from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { loadConfig } from '@tracefleet/config';
import { toTracefleetError } from '@tracefleet/errors';
import { Renditions } from '@tracefleet/converter';
import { optionsFromFlags, outputFromFlags } from './option-flags.js';
import { collectInputs } from './files.js';
import { openLocalConverter } from './local-converter.js';

export interface ConvertFlags {
  out: string;
  json?: boolean;
  cache?: boolean;
}

/**
 * Converts files in-process (no servers) with the memory and disk tiers, writing each in the output
 * format (`--format`; other formats are derived from the cached vector result). Exit code 1 if any failed.
 */
export async function convertCommand(inputs: string[], flags: ConvertFlags): Promise<number> {
  const config = loadConfig();
  const options = optionsFromFlags(flags as unknown as Record<string, unknown>);
  const output = outputFromFlags(flags as unknown as Record<string, unknown>);
  const files = await collectInputs(inputs);
  await fs.mkdir(flags.out, { recursive: true });
  const local = await openLocalConverter(config, { cacheDir: flags.cache === false ? undefined : config.cacheDir });
  const { converter, pool } = local;
  const renditions = new Renditions(local.cache);
  const bar =
    !flags.json && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: 'converting [{bar}] {value}/{total} {file}', stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(files.length, 0, { file: '' });
  let failed = 0;
  let next = 0;
  const results: string[] = [];
  const one = async (file: string) => {
    const started = performance.now();
    try {
      const bytes = await fs.readFile(file);
      const r = await converter.convert(bytes, options);
      const rendition = await renditions.render(r, output);
      const outFile = path.join(flags.out, `${path.basename(file).replace(/\.[^.]+$/, '')}.${rendition.extension}`);
      await fs.writeFile(outFile, rendition.bytes);
      const line = {
        file,
        out: outFile,
        format: output.format,
        ms: Math.round(performance.now() - started),
        bytes: rendition.bytes.length,
        ssim: r.meta.quality.ssim,
        cache: r.cache,
        logoType: r.meta.logoType,
      };
      if (flags.json) process.stdout.write(JSON.stringify(line) + '\n');
      else
        results.push(
          `${path.basename(file)} → ${outFile} (${line.bytes} B, ssim ${line.ssim}, ${line.ms} ms, ${line.cache})`,
        );
    } catch (err) {
      failed++;
      const e = toTracefleetError(err);
      if (flags.json)
        process.stdout.write(
          JSON.stringify({ file, ms: Math.round(performance.now() - started), error: e.toJSON() }) + '\n',
        );
      else results.push(`${path.basename(file)}: ${e.code}: ${e.message}`);
    }
    bar?.increment(1, { file: path.basename(file) });
  };
  const lanes = Array.from({ length: Math.min(files.length, pool.threads * 2) }, async () => {
    while (next < files.length) await one(files[next++]);
  });
  await Promise.all(lanes);
  bar?.stop();
  if (!flags.json) {
    for (const r of results) process.stdout.write(r + '\n');
    process.stdout.write(`${files.length - failed} converted, ${failed} failed → ${flags.out}\n`);
  }
  await local.close();
  return failed ? 1 : 0;
}
