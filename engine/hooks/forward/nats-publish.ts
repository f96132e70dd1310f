import type { PubAck } from '@nats-io/jetstream';

import { EXPIRED, type Deadline } from './deadline';
import type { ForwardJob } from './forward-job';
import type { ForwardOutcome } from './forward-outcome';
import type { NatsSession } from './nats-connection';
import { isNoResponders, isTimeout, jetStreamApiError } from './nats-errors';
import {
  jetStreamOutcome,
  lostOutcome,
  refusedOutcome,
} from './outcome-messages';
import type { ReconnectBuffer, Sized } from './reconnect-buffer';

/** What a publish needs from its forwarder. */
export interface PublishContext {
  url: string;
  session: NatsSession;
  /** Where sent bytes are counted until confirmed. */
  buffer: ReconnectBuffer<Sized>;
  /** The outcome when the deadline ends before `what` came back. */
  gaveUp(what: string): ForwardOutcome;
}

/**
 * Publishes on the core protocol and waits for a flush round trip: the
 * server answers a PING only after reading everything sent before it.
 * The message is handed to the client before the first await.
 */
export async function publishCore(
  context: PublishContext,
  job: ForwardJob,
  deadline: Deadline,
): Promise<ForwardOutcome> {
  const { nc } = context.session;
  try {
    nc.publish(job.subject, job.payload, { headers: job.headers });
  } catch (error) {
    return refusedOutcome(context.url, error);
  }
  const ticket = context.buffer.send(job.bytes);

  const flushed = await deadline.race(
    nc.flush().then(
      () => undefined,
      (error: unknown) => error ?? 'flush failed',
    ),
  );
  if (flushed === EXPIRED) {
    context.buffer.abandon();
    return context.gaveUp('flush round trip');
  }
  if (flushed !== undefined) {
    context.buffer.abandon();
    return lostOutcome(context.url, flushed);
  }
  context.buffer.confirm(ticket);
  // TODO(hooks): a publish refused for lack of permission still gets its
  // PONG, so it counts as flushed; the -ERR only reaches status events.
  return { status: 'succeeded', detail: 'flushed' };
}

/**
 * Publishes through JetStream and waits for the stream's PubAck. The
 * message is handed to the client before the first await.
 */
export async function publishJetStream(
  context: PublishContext,
  job: ForwardJob,
  deadline: Deadline,
): Promise<ForwardOutcome> {
  const acked = context.session.js
    .publish(job.subject, job.payload, {
      headers: job.headers,
      timeout: deadline.remainingMs(),
    })
    .then(
      (ack: PubAck) => ack,
      (error: unknown) => ({ error }),
    );
  const ticket = context.buffer.send(job.bytes);

  const result = await deadline.race(acked);
  if (result === EXPIRED) {
    context.buffer.abandon();
    return context.gaveUp('PubAck');
  }
  if ('error' in result) {
    const { error } = result;
    if (isNoResponders(error) || jetStreamApiError(error) !== undefined) {
      // an answer, even a refusal, proves the server read the message
      context.buffer.confirm(ticket);
    } else if (isTimeout(error)) {
      context.buffer.abandon();
    } else {
      // the client refused it before it left
      context.buffer.unsend(ticket);
    }
    return jetStreamOutcome(context.url, job, error);
  }
  context.buffer.confirm(ticket);
  return {
    status: 'succeeded',
    detail: 'pub-ack',
    stream: result.stream,
    seq: result.seq,
    duplicate: result.duplicate,
  };
}
