/**
 * The archive's segment format (docs/retention.md): one object holds the histories of many jobs and
 * its own index. The first line is a JSON header `{format, jobs: {<key>: [offset, length]}}`; the body
 * after it holds one JSON line per job `{tenant, job_id, events}`, at the byte offsets the header
 * names, so a reader parses the header and one job's line, not the whole segment.
 */
import type { StoredEvent } from '../../domain/shared/events.ts';

export const SEGMENT_FORMAT = 'coretex.job-archive/1';

export interface ArchivedHistory {
  readonly tenant: string;
  readonly jobId: string;
  /** Every envelope, positions included, oldest first. */
  readonly events: readonly StoredEvent[];
}

interface Header {
  readonly format: string;
  readonly jobs: Record<string, readonly [number, number]>;
}

/** The key of a job in a segment's index: unambiguous whatever the tenant and id contain. */
export function historyKey(tenant: string, jobId: string): string {
  return JSON.stringify([tenant, jobId]);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A segment being read or rewritten: each job's encoded line, by key, in the order written. */
export class Segment {
  readonly #lines = new Map<string, Uint8Array>();
  #bodyBytes = 0;

  static decode(data: Uint8Array | null): Segment {
    const segment = new Segment();
    if (data === null || data.length === 0) return segment;
    const newline = data.indexOf(0x0a);
    if (newline < 0) throw new Error('archive segment has no header line');
    const header = JSON.parse(decoder.decode(data.subarray(0, newline))) as Header;
    if (header.format !== SEGMENT_FORMAT) throw new Error(`unknown archive segment format ${header.format}`);
    const body = data.subarray(newline + 1);
    const ordered = Object.entries(header.jobs).sort((a, b) => a[1][0] - b[1][0]);
    for (const [key, [offset, length]] of ordered) segment.#set(key, body.subarray(offset, offset + length));
    return segment;
  }

  get size(): number {
    return this.#lines.size;
  }

  /** The encoded size of the body (the header adds about 60 bytes per job). */
  get bodyBytes(): number {
    return this.#bodyBytes;
  }

  /** Each job's key and encoded line, in the order written (to split or merge segments). */
  entries(): [string, Uint8Array][] {
    return [...this.#lines];
  }

  /** A segment of already encoded lines (from `entries` of others), in the given order. */
  static of(entries: Iterable<readonly [string, Uint8Array]>): Segment {
    const segment = new Segment();
    for (const [key, line] of entries) segment.#set(key, line);
    return segment;
  }

  has(key: string): boolean {
    return this.#lines.has(key);
  }

  /** One job's history, or null when the segment does not hold it. */
  find(tenant: string, jobId: string): ArchivedHistory | null {
    const line = this.#lines.get(historyKey(tenant, jobId));
    if (line === undefined) return null;
    const parsed = JSON.parse(decoder.decode(line)) as { tenant: string; job_id: string; events: StoredEvent[] };
    return { tenant: parsed.tenant, jobId: parsed.job_id, events: parsed.events };
  }

  /** Adds a history, or replaces the one under the same key (a rewrite after a crash is the same bytes). */
  put(history: ArchivedHistory): number {
    const line = encoder.encode(
      `${JSON.stringify({ tenant: history.tenant, job_id: history.jobId, events: history.events })}\n`,
    );
    this.#set(historyKey(history.tenant, history.jobId), line);
    return line.length;
  }

  encode(): Uint8Array {
    const jobs: Record<string, [number, number]> = {};
    let offset = 0;
    for (const [key, line] of this.#lines) {
      jobs[key] = [offset, line.length];
      offset += line.length;
    }
    const header = encoder.encode(`${JSON.stringify({ format: SEGMENT_FORMAT, jobs } satisfies Header)}\n`);
    const out = new Uint8Array(header.length + offset);
    out.set(header, 0);
    let at = header.length;
    for (const line of this.#lines.values()) {
      out.set(line, at);
      at += line.length;
    }
    return out;
  }

  #set(key: string, line: Uint8Array): void {
    const old = this.#lines.get(key);
    if (old !== undefined) this.#bodyBytes -= old.length;
    this.#lines.set(key, line);
    this.#bodyBytes += line.length;
  }
}
