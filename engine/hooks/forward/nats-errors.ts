import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';

/** JetStream's code for a message larger than the stream's max size. */
export const JS_MESSAGE_TOO_LARGE = 10054;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current instanceof Error && chain.length < 8) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}

/**
 * Whether nobody answered a request. For a JetStream publish that means
 * no stream covers the subject (or JetStream is off), which nats.js
 * reports as "jetstream is not enabled" with the no-responders error as
 * its cause.
 */
export function isNoResponders(error: unknown): boolean {
  return causes(error).some(
    (item) =>
      item instanceof errors.NoRespondersError ||
      (item instanceof errors.RequestError && item.isNoResponders()),
  );
}

/**
 * Whether a stream lookup found nothing: no stream matches, or the server
 * has no JetStream at all (then core publishing is all there is).
 */
export function isNoStream(error: unknown): boolean {
  // nats.js exports neither class from its public entry point
  return (
    isNoResponders(error) ||
    (error instanceof Error &&
      (error.name === 'StreamNotFoundError' ||
        error.name === 'JetStreamNotEnabled'))
  );
}

/** Whether the client gave up waiting for an answer. */
export function isTimeout(error: unknown): boolean {
  return causes(error).some((item) => item instanceof errors.TimeoutError);
}

/** Whether the connection was closed under the operation. */
export function isClosed(error: unknown): boolean {
  return causes(error).some(
    (item) =>
      item instanceof errors.ClosedConnectionError ||
      item instanceof errors.DrainingConnectionError,
  );
}

/** The JetStream API error behind `error`, if the server sent one. */
export function jetStreamApiError(
  error: unknown,
): JetStreamApiError | undefined {
  return causes(error).find(
    (item): item is JetStreamApiError => item instanceof JetStreamApiError,
  );
}

/** A one-line description of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message === '' ? error.name : error.message;
  }
  return String(error);
}
