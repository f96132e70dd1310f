import { MsgHdrsImpl } from '@nats-io/transport-node';

import {
  failed,
  type ForwardMode,
  type ForwardOutcome,
  type ForwardRequest,
} from './forward-outcome';
import { natsSubjectProblem } from './forward-target';
import { describeError } from './nats-errors';

/** The header JetStream de-duplicates on. */
export const MSG_ID_HEADER = 'Nats-Msg-Id';

/** A forward that passed every check made before connecting. */
export interface ForwardJob {
  subject: string;
  payload: Uint8Array;
  headers: MsgHdrsImpl | undefined;
  /** Payload plus encoded headers: what counts against `max_payload`. */
  bytes: number;
  mode: ForwardMode;
  /** For `auto`, once known: the covering stream, or null for none. */
  stream?: string | null;
}

/**
 * Checks what can be checked without a server (the subject, the headers)
 * and measures the message as the server will.
 *
 * @returns The job, or a permanent failure.
 */
export function prepareJob(
  request: ForwardRequest,
): ForwardJob | ForwardOutcome {
  const problem = natsSubjectProblem(request.subject);
  if (problem !== undefined) {
    return failed('invalid-subject', problem);
  }

  const entries = Object.entries(request.headers ?? {});
  if (request.msgId !== undefined) {
    entries.push([MSG_ID_HEADER, request.msgId]);
  }
  let headers: MsgHdrsImpl | undefined;
  if (entries.length > 0) {
    headers = new MsgHdrsImpl();
    for (const [key, value] of entries) {
      try {
        headers.set(key, value);
      } catch (error) {
        const why = describeError(error);
        return failed('rejected', `header ${JSON.stringify(key)}: ${why}`);
      }
    }
  }

  const headerBytes = headers?.encode().length ?? 0;
  return {
    subject: request.subject,
    payload: request.payload,
    headers,
    bytes: request.payload.length + headerBytes,
    mode: request.mode ?? 'auto',
  };
}

/** Whether {@link prepareJob} refused the request. */
export function isOutcome(
  value: ForwardJob | ForwardOutcome,
): value is ForwardOutcome {
  return 'status' in value;
}
