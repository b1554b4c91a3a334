/**
 * Stream identity (ARCHITECTURE.md section 3). Every aggregate is one stream, named by its type, its
 * tenant and its id. Adapters turn a stream id into a subject or key through `streamToken`, which
 * encodes (tenant, id) so that ids are per tenant and no id can break a subject or key.
 */
import { parseStepJobId } from './ids.ts';

export const AGGREGATE_TYPES = ['job', 'run', 'dlq', 'workflow', 'config', 'op'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

/** `a`: an ad-hoc job; `w`: a workflow step job (the workflow engine filters on these alone). */
export type JobKind = 'a' | 'w';

export interface StreamId {
  readonly type: AggregateType;
  readonly tenant: string;
  readonly id: string;
}

export const DEFAULT_PARTITIONS = 16;

export function streamId(type: AggregateType, tenant: string, id: string): StreamId {
  return { type, tenant, id };
}

/** `job:acme:01J...`: stable text form, used in envelopes and event ids. Tenants contain no `:`. */
export function formatStreamId(stream: StreamId): string {
  return `${stream.type}:${stream.tenant}:${stream.id}`;
}

export function parseStreamId(text: string): StreamId | null {
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (second < 0) return null;
  const type = text.slice(0, first);
  if (!isAggregateType(type)) return null;
  return { type, tenant: text.slice(first + 1, second), id: text.slice(second + 1) };
}

export function isAggregateType(value: string): value is AggregateType {
  return (AGGREGATE_TYPES as readonly string[]).includes(value);
}

export function jobKindOf(jobId: string): JobKind {
  return parseStepJobId(jobId) === null ? 'a' : 'w';
}

/**
 * The partition of a stream: hash(tenant, id) mod P, except workflow step jobs, which take their
 * run's partition so that one process manager sees a run and its step jobs together.
 */
export function partitionOf(stream: StreamId, partitions: number): number {
  const step = stream.type === 'job' ? parseStepJobId(stream.id) : null;
  const key = step === null ? stream.id : step.runId;
  return fnv1a32(`${stream.tenant}:${key}`) % partitions;
}

/** The subject/key-safe token of a stream: base64url of `<tenant>:<id>` (characters `A-Za-z0-9_-`). */
export function streamToken(stream: StreamId): string {
  return base64url(utf8.encode(`${stream.tenant}:${stream.id}`));
}

export function parseStreamToken(type: AggregateType, token: string): StreamId | null {
  const bytes = fromBase64url(token);
  if (bytes === null) return null;
  const text = utf8Decoder.decode(bytes);
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { type, tenant: text.slice(0, colon), id: text.slice(colon + 1) };
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** FNV-1a, 32 bits, over UTF-8: cheap, stable across runtimes, and well spread for short keys. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const REVERSE = new Map([...ALPHABET].map((char, index) => [char, index]));

function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(triple >> (18 - 6 * k)) & 63];
  }
  return out;
}

function fromBase64url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    const chunk = text.slice(i, i + 4);
    let triple = 0;
    for (let k = 0; k < 4; k++) {
      const char = chunk[k];
      const value = char === undefined ? 0 : REVERSE.get(char);
      if (value === undefined) return null;
      triple |= value << (18 - 6 * k);
    }
    out.push((triple >> 16) & 255);
    if (chunk.length > 2) out.push((triple >> 8) & 255);
    if (chunk.length > 3) out.push(triple & 255);
  }
  return Uint8Array.from(out);
}
