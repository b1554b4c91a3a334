/**
 * JetStream's direct get (one stored message by sequence or by subject, answered by any server holding
 * the stream) through `Requests`. nats.js's `jsm.direct.getMessage` goes through its own request, which
 * arms a timer and builds an Error per call even when the reply arrives (see requests.ts): every
 * history read (the reactions to a job's events, the archiver reading back each finished job) is one
 * to a few direct gets, and with retention on those Errors alone cost the control plane ~3 % of its CPU.
 */
import type { Requests } from './requests.ts';

export interface DirectMessage {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
}

/** The subject's last message, or the first message at or after `seq` (matching `next_by_subj`, if given). */
export type DirectQuery = { readonly last_by_subj: string } | { readonly seq: number; readonly next_by_subj?: string };

/** The stream refused the get for another reason than "no such message" (`status` as in its answer). */
export class DirectGetError extends Error {
  override readonly name = 'DirectGetError';
  readonly status: number;
  constructor(stream: string, status: number, description: string) {
    super(`direct get from ${stream} refused: ${status} ${description}`);
    this.status = status;
  }
}

/** JetStream's API timeout (nats.js's default for its manager). */
const DIRECT_GET_TIMEOUT_MS = 5_000;
const NOT_FOUND = 404;
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** The message the query names, or null when there is none. */
export async function directGet(
  requests: Requests,
  stream: string,
  query: DirectQuery,
  timeoutMs = DIRECT_GET_TIMEOUT_MS,
): Promise<DirectMessage | null> {
  // By subject, the subject goes in the request's subject (so permissions can scope it), as nats.js does.
  const [subject, payload] =
    'last_by_subj' in query
      ? [`$JS.API.DIRECT.GET.${stream}.${query.last_by_subj}`, EMPTY]
      : [`$JS.API.DIRECT.GET.${stream}`, encoder.encode(JSON.stringify(query))];
  const reply = await requests.request(subject, payload, timeoutMs);
  const headers = reply.headers;
  const status = headers?.code ?? 0;
  if (status === NOT_FOUND) return null;
  if (headers === undefined || status !== 0) {
    throw new DirectGetError(stream, status, headers?.description ?? 'no headers in the answer');
  }
  // The server adds its headers after the stored message's own: the last value is the server's.
  const seq = Number(headers.last('Nats-Sequence'));
  if (!Number.isSafeInteger(seq) || seq <= 0) {
    throw new DirectGetError(stream, status, `no stream sequence in the answer (${headers.last('Nats-Sequence')})`);
  }
  return { seq, subject: headers.last('Nats-Subject'), data: reply.data };
}
