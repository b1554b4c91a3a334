/**
 * W3C Trace Context (SPEC 6): a `traceparent` header names the caller's trace. A malformed one is
 * ignored, as the recommendation says (the request starts a trace of its own).
 */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

export interface Traceparent {
  /** The header as sent (trimmed), for the worker's env. */
  readonly header: string;
  readonly traceId: string;
}

export function parseTraceparent(value: string | string[] | undefined): Traceparent | null {
  if (typeof value !== 'string') return null;
  const header = value.trim();
  const match = TRACEPARENT.exec(header);
  return match?.[1] === undefined ? null : { header, traceId: match[1] };
}
