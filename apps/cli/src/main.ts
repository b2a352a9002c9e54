#!/usr/bin/env node
import { Command } from 'commander';
import { cacheExportCommand, cacheImportCommand } from './cache-backup.js';
import { cacheWarmCommand } from './cache-warm.js';
import { convertCommand } from './convert-command.js';
import { addOptionFlags, addOutputFlags } from './option-flags.js';

// `tracefleet convert … --json | head` closes our stdout early: stop quietly, as Unix tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command();
program.name('tracefleet').description('Convert raster logos (PNG, JPEG, WebP) to SVG, in-process.');

addOutputFlags(addOptionFlags(program.command('convert')))
  .argument('<inputs...>', 'image files or folders')
  .requiredOption('-o, --out <dir>', 'output folder (one <input name>.<format> file per input)')
  .option('--json', 'one JSON line per file (file, out, format, ms, bytes, ssim, cache)')
  .option('--no-cache', 'skip the disk cache tier')
  .action(async (inputs: string[], flags) => {
    process.exitCode = await convertCommand(inputs, flags);
  });

const cache = program.command('cache').description('Warm, back up and restore the result cache');
addOptionFlags(cache.command('warm'))
  .argument('<inputs...>', 'image files or folders to pre-compute')
  .option('--no-redis', 'warm only the local tiers (disk, and MongoDB when MONGO_URL is set)')
  .option('--json', 'one JSON line per file (file, key, cache, ms)')
  .action(async (inputs: string[], flags) => {
    process.exitCode = await cacheWarmCommand(inputs, flags);
  });
cache
  .command('export')
  .argument('<file>', 'backup file to write (gzip, versioned)')
  .option('--tier <name>', 'tier to read: memory | disk | redis | mongo', 'redis')
  .action(async (file: string, flags) => {
    process.exitCode = await cacheExportCommand(file, flags);
  });
cache
  .command('import')
  .argument('<file>', 'backup file written by cache export')
  .option('--tier <names>', 'comma-separated tiers to fill: memory, disk, redis, mongo', 'redis')
  .action(async (file: string, flags) => {
    process.exitCode = await cacheImportCommand(file, flags);
  });

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`tracefleet: ${err.message}\n`);
  process.exitCode = 2;
});
