import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LivenessMonitor } from './liveness.js';

class FakeWorker extends EventEmitter {
  running = true;
  isRunning() {
    return this.running;
  }
}

function setup(waiting: () => Promise<number>) {
  let t = 1_000_000;
  const worker = new FakeWorker();
  const monitor = new LivenessMonitor(worker, {
    waitingCount: waiting,
    stuckAfterMs: 10_000,
    now: () => t,
    queryTimeoutMs: 50,
  });
  return { worker, monitor, advance: (ms: number) => (t += ms) };
}

describe('worker liveness', () => {
  it('stays live while idle with an empty queue', async () => {
    const { monitor, advance } = setup(async () => 0);
    advance(3_600_000);
    expect((await monitor.check()).live).toBe(true);
  });

  it('fails when jobs wait and the worker takes none for longer than the limit', async () => {
    const { monitor, advance } = setup(async () => 5);
    advance(3_600_000);
    // First sight of waiting jobs after a quiet spell starts the clock instead of failing at once.
    expect((await monitor.check()).live).toBe(true);
    advance(9_000);
    expect((await monitor.check()).live).toBe(true);
    advance(2_000);
    const r = await monitor.check();
    expect(r.live).toBe(false);
    expect(r.reason).toMatch(/5 jobs waiting/);
  });

  it('counts a busy worker as live and recovers after activity', async () => {
    const { worker, monitor, advance } = setup(async () => 5);
    await monitor.check();
    advance(20_000);
    expect((await monitor.check()).live).toBe(false);
    worker.emit('active');
    advance(60_000);
    expect(await monitor.check()).toMatchObject({ live: true, inFlight: 1 });
    worker.emit('completed');
    expect((await monitor.check()).live).toBe(true);
    advance(11_000);
    expect((await monitor.check()).live).toBe(false);
  });

  it('does not fail on Redis trouble (that is readiness) but does when the worker stopped', async () => {
    const { worker, monitor, advance } = setup(() => new Promise(() => undefined));
    advance(60_000);
    expect(await monitor.check()).toMatchObject({ live: true, waiting: undefined });
    worker.running = false;
    expect(await monitor.check()).toMatchObject({ live: false, reason: 'worker is not running' });
  });
});
