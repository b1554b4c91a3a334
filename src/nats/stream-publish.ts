/**
 * Publishing to a JetStream stream through `Requests`: the publish is a request whose reply is the
 * stream's acknowledgement (or its refusal, with JetStream's error code), so many publishes share one
 * inbox subscription and one timer instead of each arming its own.
 */
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { Requests } from './requests.ts';

export interface StreamAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

export interface StreamPublishOptions {
  /** `Nats-Msg-Id`: a publish repeated within the stream's duplicate window is stored once. */
  readonly msgId?: string;
  /** `Nats-Expected-Last-Subject-Sequence`: refused (code 10071) unless the subject's last message is here. */
  readonly expectedLastSubjectSequence?: number;
  readonly timeoutMs: number;
}

/** JetStream refused the publish; `code` is its error code (10071: wrong last sequence). */
export class StreamPublishError extends Error {
  override readonly name = 'StreamPublishError';
  readonly subject: string;
  /** JetStream's error code (`err_code`). */
  readonly code: number;
  /** The HTTP-like status of the refusal (`code` in JetStream's answer). */
  readonly status: number;
  constructor(subject: string, code: number, status: number, description: string) {
    super(`publish to ${subject} refused: ${description} (${code})`);
    this.subject = subject;
    this.code = code;
    this.status = status;
  }
}

/** JetStream's code for a publish whose expected last (subject) sequence did not match. */
export const WRONG_LAST_SEQUENCE = 10071;

const decoder = new TextDecoder();

export async function publishToStream(
  requests: Requests,
  subject: string,
  payload: Uint8Array | string,
  options: StreamPublishOptions,
): Promise<StreamAck> {
  const h = natsHeaders();
  if (options.msgId !== undefined) h.set('Nats-Msg-Id', options.msgId);
  if (options.expectedLastSubjectSequence !== undefined) {
    h.set('Nats-Expected-Last-Subject-Sequence', String(options.expectedLastSubjectSequence));
  }
  const reply = await requests.request(subject, payload, options.timeoutMs, h);
  const ack = JSON.parse(decoder.decode(reply.data)) as Partial<StreamAck> & {
    error?: { code?: number; err_code?: number; description?: string };
  };
  if (ack.error !== undefined) {
    throw new StreamPublishError(subject, ack.error.err_code ?? 0, ack.error.code ?? 0, ack.error.description ?? '');
  }
  if (typeof ack.stream !== 'string' || typeof ack.seq !== 'number') {
    throw new StreamPublishError(subject, 0, 0, 'not an acknowledgement');
  }
  return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true };
}
