import type { PipelineContext } from './context.js';

/** One step of the conversion: reads and writes fields of the context (see context.ts). */
export interface Stage {
  name: string;
  /**
   * Key of its duration in `meta.timings` (worker spans and the stage-duration metric use it).
   * Several stages may share one; a retry reports under `retry` + Key.
   */
  timing: string;
  /** Runs once per parameter set (tracing attempt) instead of once per conversion. */
  perAttempt?: true;
  run(ctx: PipelineContext): void | Promise<void>;
}
