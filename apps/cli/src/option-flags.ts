import type { Command } from 'commander';
import {
  OPTION_NAMES,
  OPTION_SCHEMAS,
  normalizeOptions,
  optionExpectation,
  type ConvertOptions,
} from '@tracefleet/contract';

/** `--colors` from `colors`: kebab-case of each option name. */
const flagOf = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Adds one flag per conversion option, with the description and bounds of its schema in
 * @tracefleet/contract (the same names as the API's query parameters).
 */
export function addOptionFlags(command: Command): Command {
  for (const name of OPTION_NAMES) {
    const schema = OPTION_SCHEMAS[name] as unknown as Record<string, unknown>;
    const def = schema.default === undefined ? '' : `, default ${String(schema.default)}`;
    // No commander default: an unset flag must not override a --preset.
    command.option(
      `--${flagOf(name)} <value>`,
      `${String(schema.description ?? name)} (${optionExpectation(name)}${def})`,
    );
  }
  return command;
}

/** The options of a command's parsed flags (commander camel-cases them back to the option names). */
export function optionsFromFlags(flags: Record<string, unknown>): ConvertOptions {
  return normalizeOptions(Object.fromEntries(OPTION_NAMES.map((n) => [n, flags[n]])));
}
