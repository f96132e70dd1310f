/**
 * How a forward is published.
 *
 * - `core`: a plain publish, confirmed by a flush round trip (the server's
 *   PONG after our PING proves it read the message).
 * - `jetstream`: a JetStream publish, confirmed by the stream's PubAck; no
 *   stream covering the subject is a permanent failure.
 * - `auto`: `jetstream` when a stream covers the subject, else `core`.
 */
export type ForwardMode = 'core' | 'jetstream' | 'auto';

/** One forward to a NATS subject. */
export interface ForwardRequest {
  /** Where to publish: a studio subject without wildcards. */
  subject: string;
  /** The message body, sent byte for byte. */
  payload: Uint8Array;
  /** NATS headers (plain data, so it crosses IPC as is). */
  headers?: Record<string, string>;
  /**
   * Sent as `Nats-Msg-Id`, so a JetStream stream keeps one copy of a
   * redriven forward within its duplicate window (DESIGN §3.4 keys
   * forwards by origin cluster, event id and hook).
   */
  msgId?: string;
  /** Bound on the whole forward: connect, lookup, publish and confirm. */
  timeoutMs: number;
  /** @defaultValue 'auto' */
  mode?: ForwardMode;
}

/** Why a forward did not succeed. */
export type ForwardFailureReason =
  /** The subject or a header is not something NATS can take. */
  | 'invalid-subject'
  /** Payload plus headers exceed the server's `max_payload`. */
  | 'payload-too-large'
  /** No connection: refused, lost, or still reconnecting at the deadline. */
  | 'unreachable'
  /** Connected, but no flush round trip or PubAck within the timeout. */
  | 'timeout'
  /** JetStream was asked for, and no stream covers the subject. */
  | 'no-stream'
  /** The server or the stream refused the message. */
  | 'rejected'
  /**
   * The bounded reconnect buffer had no room; the forward never reached
   * the client.
   */
  | 'buffer-full';

/**
 * How one forward ended, in the same shape as the other handler kinds'
 * outcomes. `retry` asks the dispatcher to try again later (a retry may
 * duplicate a message the server got but never confirmed); `failed` is
 * permanent: retrying the same forward cannot help, so it belongs in the
 * DLQ at once.
 */
export type ForwardOutcome =
  | {
      status: 'succeeded';
      /** What confirmed delivery: a flush round trip or a PubAck. */
      detail: 'flushed' | 'pub-ack';
      /** The stream that stored it (pub-ack only). */
      stream?: string;
      /** Its sequence in that stream (pub-ack only). */
      seq?: number;
      /** The stream already had this `msgId` (pub-ack only). */
      duplicate?: boolean;
    }
  | {
      status: 'retry' | 'failed';
      reason: ForwardFailureReason;
      /** One clear sentence for the delivery log and the DLQ entry. */
      message: string;
    };

/** Counters and state of one forwarder, for the hooks view. */
export interface NatsForwarderStats {
  /** The server URL. */
  url: string;
  /** Whether the shared connection is up right now. */
  isConnected: boolean;
  /** Successful reconnects since the first connect. */
  reconnects: number;
  /** Forwards called and not settled yet. */
  inFlight: number;
  /** Forwards held until the connection comes back. */
  waiting: number;
  /** Bytes held or sent but not yet confirmed (payload plus headers). */
  bufferedBytes: number;
  /** The bound on {@link NatsForwarderStats.bufferedBytes}. */
  bufferLimitBytes: number;
  /** Forwards turned away because the buffer was full. */
  rejectedBufferFull: number;
  /**
   * Publishes handed to the client whose confirmation never came (the
   * connection dropped, or the timeout passed): each was reported `retry`
   * and may or may not have reached the server.
   */
  unconfirmed: number;
}

/** A `retry` outcome. */
export function retry(
  reason: ForwardFailureReason,
  message: string,
): ForwardOutcome {
  return { status: 'retry', reason, message };
}

/** A permanent `failed` outcome. */
export function failed(
  reason: ForwardFailureReason,
  message: string,
): ForwardOutcome {
  return { status: 'failed', reason, message };
}
