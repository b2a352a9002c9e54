/**
 * When the Redis tier must push out a label set's TTL. A set must outlive its newest member's entry;
 * an EXPIRE with every write did that, but repeated the previous one on nearly every write (a set per
 * logo type, one write per job). The set is given `ttl + SLACK` and refreshed only once a member
 * would outlive `refresh + ttl + SLACK / 2`: about once a minute per set and process, and the half
 * slack left covers EXPIREs of other processes arriving out of order (or of older versions, which
 * set `ttl` alone). A set deleted by someone else's purge is recreated by the next SADD without a
 * TTL until this process's next refresh (within a minute); this process's own purges forget it.
 */
export const SET_TTL_SLACK_SECONDS = 120;

export class SetExpiry {
  /** Set key → the time (ms) up to which its TTL is known to cover a new member. */
  private readonly covered = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The TTL (seconds) to give `set` with this write, or undefined when its last refresh covers a member living `ttlSeconds`. */
  due(set: string, ttlSeconds: number): number | undefined {
    const now = this.now();
    if ((this.covered.get(set) ?? -Infinity) >= now + ttlSeconds * 1000) return undefined;
    if (this.covered.size >= 10_000) this.covered.clear();
    this.covered.set(set, now + (ttlSeconds + SET_TTL_SLACK_SECONDS / 2) * 1000);
    return ttlSeconds + SET_TTL_SLACK_SECONDS;
  }

  /** The set's TTL is unknown again (its EXPIRE failed, or it was deleted); undefined = every set. */
  forget(set?: string): void {
    if (set === undefined) this.covered.clear();
    else this.covered.delete(set);
  }
}
