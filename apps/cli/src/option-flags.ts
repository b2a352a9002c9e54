import type { Command } from 'commander';
import {
  expectation,
  normalizeOptions,
  normalizeOutputOptions,
  OPTION_NAMES,
  OPTION_SCHEMAS,
  optionExpectation,
  OUTPUT_OPTION_NAMES,
  OUTPUT_OPTION_SCHEMAS,
  type ConvertOptions,
  type OutputOptions,
} from '@tracefleet/contract';

/** `--dxf-units` from `dxfUnits`: kebab-case of each option name. */
const flagOf = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** One flag per schema; no commander default, so an unset flag never overrides a --preset. */
function addFlags(
  command: Command,
  schemas: Record<string, unknown>,
  names: readonly string[],
  expect: (name: string) => string,
): Command {
  for (const name of names) {
    const schema = schemas[name] as Record<string, unknown>;
    const def = schema.default === undefined ? '' : `, default ${String(schema.default)}`;
    command.option(`--${flagOf(name)} <value>`, `${String(schema.description ?? name)} (${expect(name)}${def})`);
  }
  return command;
}

/**
 * Adds one flag per conversion option, with the description and bounds of its schema in
 * @tracefleet/contract (the same names as the API's query parameters).
 */
export function addOptionFlags(command: Command): Command {
  return addFlags(command, OPTION_SCHEMAS, OPTION_NAMES, optionExpectation);
}

/** Adds one flag per output option (`--format`, `--size`, `--dxf-units`, `--dpi`), from the contract too. */
export function addOutputFlags(command: Command): Command {
  return addFlags(command, OUTPUT_OPTION_SCHEMAS, OUTPUT_OPTION_NAMES, (name) =>
    expectation((OUTPUT_OPTION_SCHEMAS as Record<string, unknown>)[name] as Record<string, unknown>),
  );
}

/** The options of a command's parsed flags (commander camel-cases them back to the option names). */
export function optionsFromFlags(flags: Record<string, unknown>): ConvertOptions {
  return normalizeOptions(Object.fromEntries(OPTION_NAMES.map((n) => [n, flags[n]])));
}

/** The output options of a command's parsed flags. */
export function outputFromFlags(flags: Record<string, unknown>): OutputOptions {
  return normalizeOutputOptions(Object.fromEntries(OUTPUT_OPTION_NAMES.map((n) => [n, flags[n]])));
}
