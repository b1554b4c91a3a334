/**
 * Durable reports (`started` and results, SPEC 1.8): each is published into the control plane's
 * capture stream with a message id derived from (job, tenant, attempt, token, type), and retried with
 * capped exponential backoff until the capture acknowledges it, so neither a Coretex nor a NATS
 * outage loses a result, and a retry that did land the first time is dropped as a duplicate.
 * A result whose JSON is too large for a report goes to the large-result store first; the report
 * then carries `result_ptr`.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReportMessage } from '../domain/protocol/messages.ts';
import type { WorkerTransport } from './transport.ts';

export interface ReporterSettings {
  readonly transport: WorkerTransport;
  /** A result whose JSON is longer than this many bytes is stored aside (default 256 KiB). */
  readonly largeResultBytes: number;
  /** How long a stored large result is kept. */
  readonly resultTtlMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly onError: (error: unknown, context: string) => void;
}

/** The report's deduplication id: the same report, however often retried, has the same id. */
export function reportId(report: Pick<ReportMessage, 'job_id' | 'tenant' | 'attempt' | 'token' | 'type'>): string {
  return createHash('sha256')
    .update([report.job_id, report.tenant, String(report.attempt), report.token, report.type].join('\u0000'))
    .digest('hex')
    .slice(0, 40);
}

export class DurableReporter {
  readonly #settings: ReporterSettings;
  readonly #pending = new Set<Promise<void>>();
  readonly #abandon = new AbortController();

  constructor(settings: ReporterSettings) {
    this.#settings = settings;
  }

  /** Sends in the background until acknowledged (or abandoned at close); never rejects. */
  send(subject: string, report: ReportMessage): void {
    const delivery = this.#deliver(subject, report).finally(() => this.#pending.delete(delivery));
    this.#pending.add(delivery);
  }

  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Waits for every report to be acknowledged, up to `timeoutMs`; then gives up on the rest (they are
   * named through `onError`: never silently) and returns how many were given up.
   */
  async flush(timeoutMs: number): Promise<number> {
    const all = Promise.all([...this.#pending]).then(() => true);
    const timedOut = sleep(timeoutMs, false, { ref: false });
    const done = await Promise.race([all, timedOut]);
    if (done) return 0;
    const left = this.#pending.size;
    this.#abandon.abort();
    await Promise.all([...this.#pending]);
    return left;
  }

  async #deliver(subject: string, report: ReportMessage): Promise<void> {
    const id = reportId(report);
    let body: ReportMessage | null = null;
    let delay = this.#settings.retryInitialMs;
    for (let tries = 1; ; tries++) {
      try {
        body ??= await this.#withLargeResultStored(report, id);
        await this.#settings.transport.publishDurable(subject, body, id);
        return;
      } catch (error) {
        if (this.#abandon.signal.aborted) {
          this.#settings.onError(error, `report ${describe(report)} given up after ${tries} tries`);
          return;
        }
        this.#settings.onError(error, `report ${describe(report)} not acknowledged (try ${tries}), retrying`);
        try {
          await sleep(delay, undefined, { signal: this.#abandon.signal });
        } catch {
          // abandoned while waiting: one last try below decides
        }
        delay = Math.min(delay * 2, this.#settings.retryMaxMs);
      }
    }
  }

  async #withLargeResultStored(report: ReportMessage, id: string): Promise<ReportMessage> {
    if (report.result === undefined) return report;
    const json = JSON.stringify(report.result);
    if (Buffer.byteLength(json) <= this.#settings.largeResultBytes) return report;
    const pointer = await this.#settings.transport.storeLargeResult(id, json, this.#settings.resultTtlMs);
    const { result: _stored, ...rest } = report;
    return { ...rest, result_ptr: pointer };
  }
}

function describe(report: ReportMessage): string {
  return `${report.type} ${report.tenant}/${report.job_id}#${report.attempt}`;
}
