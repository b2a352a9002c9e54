import { describe, expect, it } from 'vitest';
import { SET_TTL_SLACK_SECONDS, SetExpiry } from './set-expiry.js';

describe('SetExpiry', () => {
  it('asks for an EXPIRE on the first write, then only once a member would outlive the half slack', () => {
    let now = 1_000_000;
    const e = new SetExpiry(() => now);
    expect(e.due('s', 100)).toBe(100 + SET_TTL_SLACK_SECONDS);
    now += 1000;
    expect(e.due('s', 100)).toBeUndefined();
    now += (SET_TTL_SLACK_SECONDS / 2) * 1000 - 1000;
    expect(e.due('s', 100)).toBeUndefined(); // exactly at the covered time
    now += 1;
    expect(e.due('s', 100)).toBe(100 + SET_TTL_SLACK_SECONDS);
    expect(e.due('other', 100)).toBe(100 + SET_TTL_SLACK_SECONDS);
  });

  it('a longer TTL than the set was given is pushed out at once', () => {
    const e = new SetExpiry(() => 0);
    e.due('s', 100);
    expect(e.due('s', 1000)).toBe(1000 + SET_TTL_SLACK_SECONDS);
    expect(e.due('s', 100)).toBeUndefined();
  });

  it('forgets one set or every set', () => {
    const e = new SetExpiry(() => 0);
    e.due('a', 100);
    e.due('b', 100);
    e.forget('a');
    expect(e.due('a', 100)).toBeDefined();
    expect(e.due('b', 100)).toBeUndefined();
    e.forget();
    expect(e.due('a', 100)).toBeDefined();
    expect(e.due('b', 100)).toBeDefined();
  });
});
