/**
 * An open-loop load run: submissions at a constant rate, scheduled by the clock (never waiting for
 * earlier answers), for a fixed window; the backlog (submitted but not completed) sampled every
 * second; then a drain until everything submitted has completed. A rate is sustainable when the
 * submissions were answered without errors at (nearly) the target rate and the backlog at the end
 * of the window is at most two seconds' worth of submissions and not trending up over the window's
 * second half.
 */
import { percentile } from './report.ts';

export interface OpenLoopTarget {
  /** Issues submission `i`; resolves when it was accepted, rejects when it was not. */
  submit(i: number): Promise<void>;
  /** Jobs completed successfully so far (monotonic, since the target was made). */
  completed(): number;
  /** Jobs that ended otherwise so far (monotonic). */
  failed(): number;
}

export interface BacklogSample {
  /** Seconds since the window started. */
  readonly t: number;
  readonly sent: number;
  readonly answered: number;
  readonly completed: number;
  readonly backlog: number;
}

export interface OpenLoopResult {
  readonly target_rate: number;
  readonly duration_s: number;
  readonly sent: number;
  readonly accepted: number;
  readonly errors: number;
  readonly first_error: string | null;
  /** Accepted answers received within the window, per second of the window. */
  readonly achieved_rate: number;
  /** From each submission's scheduled time to its answer (so a slow server shows, not hides). */
  readonly submit_latency_ms: { readonly p50: number; readonly p99: number };
  readonly completed: number;
  readonly failed: number;
  readonly backlog_end: number;
  /** Least-squares slope of the backlog over the second half of the window, jobs per second. */
  readonly backlog_slope_per_s: number;
  /** Seconds from the end of the window until everything submitted completed (null: it did not). */
  readonly drained_after_s: number | null;
  readonly sustainable: boolean;
  readonly why_not: readonly string[];
  readonly samples: readonly BacklogSample[];
}

export interface OpenLoopOptions {
  readonly rate: number;
  readonly durationS: number;
  readonly drainTimeoutMs: number;
}

export async function runOpenLoop(target: OpenLoopTarget, options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, durationS } = options;
  const total = Math.round(rate * durationS);
  const baseCompleted = target.completed();
  const baseFailed = target.failed();
  let sent = 0;
  let accepted = 0;
  let acceptedInWindow = 0;
  let errors = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];
  const samples: BacklogSample[] = [];
  const completed = () => target.completed() - baseCompleted;
  const failed = () => target.failed() - baseFailed;
  const backlog = () => sent - errors - completed() - failed();
  const started = performance.now();
  const windowEnd = started + durationS * 1000;
  let inWindow = true;
  const sample = () =>
    samples.push({
      t: (performance.now() - started) / 1000,
      sent,
      answered: accepted + errors,
      completed: completed(),
      backlog: backlog(),
    });

  await new Promise<void>((resolve) => {
    const sampler = setInterval(sample, 1000);
    const ticker = setInterval(() => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - started) * rate) / 1000));
      while (sent < due) {
        const i = sent++;
        const scheduled = started + (i * 1000) / rate;
        target.submit(i).then(
          () => {
            accepted++;
            if (inWindow) acceptedInWindow++;
            latencies.push(performance.now() - scheduled);
          },
          (error: unknown) => {
            errors++;
            firstError ??= error instanceof Error ? error.message : String(error);
          },
        );
      }
      if (now >= windowEnd) {
        clearInterval(ticker);
        clearInterval(sampler);
        resolve();
      }
    }, 2);
  });
  inWindow = false;
  sample();
  const end = samples.at(-1) as BacklogSample;

  const drainDeadline = performance.now() + options.drainTimeoutMs;
  let drainedAfter: number | null = null;
  while (performance.now() < drainDeadline) {
    if (accepted + errors === sent && backlog() <= 0) {
      drainedAfter = (performance.now() - windowEnd) / 1000;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const secondHalf = samples.filter((s) => s.t >= durationS / 2);
  const slope = leastSquaresSlope(secondHalf.map((s) => [s.t, s.backlog]));
  const achieved = acceptedInWindow / durationS;
  const whyNot: string[] = [];
  if (errors > sent * 0.001) whyNot.push(`${errors} submissions failed`);
  if (achieved < rate * 0.95) whyNot.push(`accepted only ${achieved.toFixed(0)}/s`);
  if (end.backlog > 2 * rate) whyNot.push(`backlog ${end.backlog} > 2 s of submissions`);
  if (slope > 0.05 * rate) whyNot.push(`backlog growing ${slope.toFixed(0)}/s`);
  if (failed() > 0) whyNot.push(`${failed()} jobs did not succeed`);
  if (drainedAfter === null) whyNot.push(`not drained ${options.drainTimeoutMs / 1000} s after the window`);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    target_rate: rate,
    duration_s: durationS,
    sent,
    accepted,
    errors,
    first_error: firstError,
    achieved_rate: achieved,
    submit_latency_ms: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
    completed: completed(),
    failed: failed(),
    backlog_end: end.backlog,
    backlog_slope_per_s: slope,
    drained_after_s: drainedAfter,
    sustainable: whyNot.length === 0,
    why_not: whyNot,
    samples,
  };
}

export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
