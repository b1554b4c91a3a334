/**
 * Structured JSON logs (SPEC 6): pino, one line per record, with the fields each call site passes
 * (`job_id`, `run_id`, `trace_id`, ...). `CORETEX_LOG_LEVEL` sets the level (default `info`).
 */
import { pino } from 'pino';
import type { Logger } from './app/ports.ts';

export function createLogger(
  name: string,
  level = process.env.CORETEX_LOG_LEVEL ?? 'info',
): Logger & { child(fields: object): Logger } {
  return pino({ name, level, base: { pid: process.pid } });
}
