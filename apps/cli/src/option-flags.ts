import type { Command } from 'commander';
import { expectation, OPTION_NAMES, OPTION_SCHEMAS, normalizeOptions, type ConvertOptions } from '@tracefleet/contract';

/** `--colors` from `colors`: kebab-case of each option name. */
const flagOf = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Adds one flag per conversion option, with the description and bounds of its schema in
 * @tracefleet/contract (the same names as the API's query parameters).
 */
export function addOptionFlags(command: Command): Command {
  for (const name of OPTION_NAMES) {
    const schema = OPTION_SCHEMAS[name] as unknown as Record<string, unknown>;
    const help = `${String(schema.description ?? name)} (${expectation(schema)})`;
    command.option(`--${flagOf(name)} <value>`, help, schema.default as string | undefined);
  }
  return command;
}

/** The options of a command's parsed flags (commander camel-cases them back to the option names). */
export function optionsFromFlags(flags: Record<string, unknown>): ConvertOptions {
  return normalizeOptions(Object.fromEntries(OPTION_NAMES.map((n) => [n, flags[n]])));
}
