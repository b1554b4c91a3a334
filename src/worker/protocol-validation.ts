/**
 * Checks what the worker receives (hand-offs, stops) and what it sends (reports, heartbeats) against
 * the protocol's JSON Schemas, the same ones the control plane serves, so a malformed message is
 * refused at the edge instead of failing deep inside a handler.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type {
  DispatchMessage,
  HandOffReply,
  HeartbeatMessage,
  ProgressMessage,
  ReportMessage,
  StopMessage,
} from '../domain/protocol/messages.ts';
import {
  dispatchMessageSchema,
  handOffReplySchema,
  heartbeatMessageSchema,
  progressMessageSchema,
  reportMessageSchema,
  stopMessageSchema,
} from '../domain/protocol/schemas.ts';

export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const ajv = new Ajv2020({ allErrors: false });

function validator<T>(schema: object): (data: unknown) => Validation<T> {
  const validate = ajv.compile(schema) as ValidateFunction<T>;
  return (data) => (validate(data) ? { ok: true, value: data } : { ok: false, error: ajv.errorsText(validate.errors) });
}

export const validateDispatch = validator<DispatchMessage>(dispatchMessageSchema);
export const validateHandOffReply = validator<HandOffReply>(handOffReplySchema);
export const validateStop = validator<StopMessage>(stopMessageSchema);
export const validateReport = validator<ReportMessage>(reportMessageSchema);
export const validateProgress = validator<ProgressMessage>(progressMessageSchema);
export const validateHeartbeat = validator<HeartbeatMessage>(heartbeatMessageSchema);
