import type { ForwardJob } from './forward-job';
import { failed, retry, type ForwardOutcome } from './forward-outcome';
import {
  describeError,
  isClosed,
  isNoResponders,
  isTimeout,
  jetStreamApiError,
  JS_MESSAGE_TOO_LARGE,
} from './nats-errors';

// Every outcome that is not a success says what happened and, when the
// server may have the message after all, that a retry may duplicate it.

/** The forwarder closed under the forward. */
export function closedOutcome(url: string): ForwardOutcome {
  return retry(
    'unreachable',
    `the forwarder for ${url} was closed before the forward finished`,
  );
}

/** The message was handed over and the connection dropped. */
export function lostOutcome(url: string, error: unknown): ForwardOutcome {
  return retry(
    'unreachable',
    `connection to ${url} was lost before the server confirmed the ` +
      `message (${describeError(error)}); it may or may not have arrived`,
  );
}

/** Connected, and no confirmation came in time. */
export function timeoutOutcome(
  url: string,
  what: string,
  timeoutMs: number,
): ForwardOutcome {
  return retry(
    'timeout',
    `no ${what} from ${url} within ${timeoutMs} ms; the message may or ` +
      'may not have arrived',
  );
}

/** The forward waited for a connection until its deadline. */
export function notConnectedOutcome(
  url: string,
  waitedMs: number,
  connectError: string | undefined,
): ForwardOutcome {
  if (connectError !== undefined) {
    return retry(
      'unreachable',
      `cannot connect to ${url} (${connectError || 'no answer yet'}); ` +
        `gave up after ${waitedMs} ms`,
    );
  }
  return retry(
    'unreachable',
    `${url} is unreachable: the connection was lost and is still ` +
      `redialling after ${waitedMs} ms`,
  );
}

/** The first connect failed. */
export function connectFailedOutcome(
  url: string,
  error: string,
): ForwardOutcome {
  return retry('unreachable', `cannot connect to ${url}: ${error}`);
}

/**
 * The bounded buffer had no room: a retry, unless the message is larger
 * than the whole buffer and never can fit.
 */
export function bufferFullOutcome(
  url: string,
  heldBytes: number,
  limitBytes: number,
  bytes: number,
): ForwardOutcome {
  if (bytes > limitBytes) {
    return failed(
      'payload-too-large',
      `message of ${bytes} bytes is larger than the whole reconnect ` +
        `buffer for ${url} (${limitBytes} bytes)`,
    );
  }
  return retry(
    'buffer-full',
    `reconnect buffer for ${url} is full: ${heldBytes} of ${limitBytes} ` +
      `bytes held or unconfirmed, no room for ${bytes} more`,
  );
}

/** Larger than the server's `max_payload`. */
export function tooLargeOutcome(
  url: string,
  bytes: number,
  maxPayload: number,
): ForwardOutcome {
  return failed(
    'payload-too-large',
    `message of ${bytes} bytes (payload and headers) exceeds the ` +
      `max_payload of ${maxPayload} bytes of ${url}`,
  );
}

/** The client threw instead of taking the message. */
export function refusedOutcome(url: string, error: unknown): ForwardOutcome {
  if (isClosed(error)) {
    return lostOutcome(url, error);
  }
  return failed(
    'rejected',
    `the client refused the message: ${describeError(error)}`,
  );
}

/** A stream lookup for an `auto` forward failed. */
export function lookupFailedOutcome(
  subject: string,
  error: unknown,
): ForwardOutcome {
  return retry(
    isTimeout(error) ? 'timeout' : 'unreachable',
    `stream lookup for ${JSON.stringify(subject)} failed: ` +
      describeError(error),
  );
}

/**
 * What a failed JetStream publish means. No responders means no stream
 * answered: either none covers the subject, or the server's JetStream is
 * stopping or starting, which looks the same from here. So it asks for a
 * retry (the retries end in the DLQ when the stream really is missing); in
 * `auto` mode the next attempt also looks the stream up again. A refusal
 * by the stream is permanent unless the stream is full or unavailable
 * (status 503).
 */
export function jetStreamOutcome(
  url: string,
  job: ForwardJob,
  error: unknown,
): ForwardOutcome {
  const subject = JSON.stringify(job.subject);
  if (isNoResponders(error)) {
    if (job.mode === 'jetstream') {
      return retry(
        'no-stream',
        `no JetStream stream on ${url} answered for subject ${subject}`,
      );
    }
    return retry(
      'no-stream',
      `stream ${JSON.stringify(job.stream)} no longer covers subject ` +
        `${subject}; the next attempt looks again`,
    );
  }
  const api = jetStreamApiError(error);
  if (api !== undefined) {
    const message =
      `the stream refused the message on ${subject}: ${api.message} ` +
      `(err_code ${api.code})`;
    if (api.code === JS_MESSAGE_TOO_LARGE) {
      return failed('payload-too-large', message);
    }
    // 503 is a full or unavailable stream, which can clear; the rest (a
    // failed expectation, a bad request) will fail the same way again
    return api.status >= 500
      ? retry('rejected', message)
      : failed('rejected', message);
  }
  if (isTimeout(error)) {
    return retry('timeout', `no PubAck from ${url} in time`);
  }
  return refusedOutcome(url, error);
}
