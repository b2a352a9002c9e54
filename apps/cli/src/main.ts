#!/usr/bin/env node
import { Command } from 'commander';
import { convertCommand } from './convert-command.js';

const program = new Command();
program.name('tracefleet').description('Convert raster logos (PNG, JPEG, WebP) to SVG, in-process.');

program
  .command('convert')
  .argument('<inputs...>', 'image files or folders')
  .requiredOption('-o, --out <dir>', 'output folder for the SVGs')
  .option('--mode <mode>', 'auto | mono | color', 'auto')
  .option('--colors <n>', 'palette size, 2-64')
  .option('--json', 'one JSON line per file (file, ms, bytes, ssim, cache)')
  .option('--no-cache', 'skip the disk cache tier')
  .action(async (inputs: string[], flags) => {
    process.exitCode = await convertCommand(inputs, flags);
  });

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`tracefleet: ${err.message}\n`);
  process.exitCode = 2;
});
