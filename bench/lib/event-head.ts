/**
 * Events as a benchmark's core NATS subscription sees them (what JetStream stores, and also a retried
 * publish that JetStream deduplicated). `eventHead` reads only the envelope's head — `type`,
 * `stream_id` and `time` come before `data` — so following every job event stays cheap.
 */
const decoder = new TextDecoder();

export interface EventHead {
  readonly type: string;
  /** `<aggregate>:<tenant>:<id>` */
  readonly streamId: string;
  /** Epoch ms of the event's `time` (set by the process that appended it). */
  readonly time: number;
}

export function eventHead(data: Uint8Array): EventHead {
  const head = decoder.decode(data.subarray(0, 512));
  return {
    type: /"type":"(\w+)"/.exec(head)?.[1] ?? '?',
    streamId: /"stream_id":"([^"]+)"/.exec(head)?.[1] ?? '',
    time: Date.parse(/"time":"([^"]+)"/.exec(head)?.[1] ?? ''),
  };
}

/** The id in a stream id (`job:acme:<id>` → `<id>`). */
export function idOfStream(streamId: string): string {
  return streamId.split(':').slice(2).join(':');
}

/** The whole envelope, for the events whose data a benchmark needs (run events). */
export function decodeEvent<T>(data: Uint8Array): { type: string; stream_id: string; time: string; data: T } {
  return JSON.parse(decoder.decode(data)) as { type: string; stream_id: string; time: string; data: T };
}

/** Job events that end a job (its first one counts: later ones are duplicates or archive records). */
export const JOB_ENDINGS: readonly string[] = [
  'JobSucceeded',
  'JobDenied',
  'JobCancelled',
  'JobPreempted',
  'JobAttemptFailed',
  'JobAttemptTimedOut',
];
