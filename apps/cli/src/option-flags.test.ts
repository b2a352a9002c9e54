import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { OPTION_NAMES } from '@tracefleet/contract';
import { addOptionFlags, optionsFromFlags } from './option-flags.js';

const parse = (...args: string[]) => {
  const cmd = addOptionFlags(new Command('convert')).exitOverride();
  cmd.parse(args, { from: 'user' });
  return optionsFromFlags(cmd.opts());
};

describe('option flags', () => {
  it('has one kebab-case flag per option of the contract', () => {
    const flags = addOptionFlags(new Command('convert')).options.map((o) => o.long);
    expect(flags).toEqual(OPTION_NAMES.map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
  });

  it('reads the flags into canonical options, a preset overridden by explicit flags', () => {
    expect(parse()).toEqual({ mode: 'auto' });
    expect(parse('--palette', '#FFFFFF,0a66c2', '--min-area', '12', '--background', 'remove')).toEqual({
      mode: 'auto',
      palette: '0a66c2,ffffff',
      minArea: 12,
      background: 'remove',
    });
    expect(parse('--preset', 'cutter')).toEqual({ mode: 'mono', stacking: 'cutout', curves: 'polygon' });
    expect(parse('--preset', 'cutter', '--curves', 'smooth')).toEqual({ mode: 'mono', stacking: 'cutout' });
    expect(() => parse('--stacking', 'flat')).toThrow('stacking must be one of stacked, cutout (got "flat")');
  });
});
