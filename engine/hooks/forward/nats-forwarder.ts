import { Deadline, EXPIRED } from './deadline';
import { isOutcome, prepareJob, type ForwardJob } from './forward-job';
import {
  retry,
  type ForwardOutcome,
  type ForwardRequest,
  type NatsForwarderStats,
} from './forward-outcome';
import { SharedNatsConnection, type NatsSession } from './nats-connection';
import { describeError, isNoStream } from './nats-errors';
import {
  publishCore,
  publishJetStream,
  type PublishContext,
} from './nats-publish';
import {
  bufferFullOutcome,
  closedOutcome,
  connectFailedOutcome,
  lookupFailedOutcome,
  lostOutcome,
  notConnectedOutcome,
  timeoutOutcome,
  tooLargeOutcome,
} from './outcome-messages';
import { ReconnectBuffer } from './reconnect-buffer';
import { StreamLookup } from './stream-lookup';
import { systemClock, type Clock } from '../../ports/clock';
import { silentLogger, type Logger } from '../../ports/logger';

/** Options of a {@link NatsForwarder}. */
export interface NatsForwarderOptions {
  /** `nats://host:port`, as parseForwardTarget normalises it. */
  url: string;
  /**
   * Bound on bytes held for a lost connection plus bytes sent and not yet
   * confirmed. @defaultValue 8 MiB (DEFAULT_RECONNECT_BUFFER_BYTES)
   */
  reconnectBufferBytes?: number;
  /** Pause between redials after a loss. @defaultValue 250 */
  reconnectTimeWaitMs?: number;
  /** Bound on one connect attempt. @defaultValue 5000 */
  connectTimeoutMs?: number;
  /** How long `auto` trusts a stream lookup. @defaultValue 5000 */
  streamCacheMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** A forward waiting in the buffer for the connection. */
interface Held {
  readonly bytes: number;
  start(): void;
  fail(outcome: ForwardOutcome): void;
}

/**
 * Forwards hook events to one NATS server over one shared connection,
 * opened by the first forward and redialled forever after a loss.
 *
 * A forward succeeds only once the server has confirmed it: a flush round
 * trip for a core publish, a PubAck for JetStream. Its timeout covers the
 * whole operation. While the connection is down, forwards wait in a
 * bounded {@link ReconnectBuffer}, never in the client (which drops its
 * buffer when it redials), and end as `retry` at their deadline; one that
 * finds the buffer full is turned away at once and counted. Core forwards,
 * and `auto` ones whose stream lookup is cached, reach the wire in call
 * order, including those released together by a reconnect.
 */
export class NatsForwarder {
  /** The server this forwarder publishes to. */
  readonly url: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly buffer: ReconnectBuffer<Held>;
  private readonly streams: StreamLookup;
  private readonly connection: SharedNatsConnection;
  private readonly deadlines = new Set<Deadline>();
  private isClosing = false;

  constructor(options: NatsForwarderOptions) {
    this.url = options.url;
    this.clock = options.clock ?? systemClock;
    this.buffer = new ReconnectBuffer(options.reconnectBufferBytes);
    this.streams = new StreamLookup(this.clock, options.streamCacheMs);
    this.logger = (options.logger ?? silentLogger).child({
      scope: 'hooks',
      handler: 'forward',
      url: options.url,
    });
    this.connection = new SharedNatsConnection(
      {
        url: options.url,
        reconnectTimeWaitMs: options.reconnectTimeWaitMs ?? 250,
        connectTimeoutMs: options.connectTimeoutMs ?? 5000,
        logger: this.logger,
      },
      {
        onUp: () => this.release(),
        onDown: () => this.streams.abandonPending(),
        onRedial: () => this.buffer.forgetSent(),
        onGone: (error) => this.onGone(error),
      },
    );
  }

  /**
   * Publishes one message and reports how it ended. Never rejects, and
   * settles by `request.timeoutMs` at the latest.
   *
   * @param request - Subject, payload, headers, mode and timeout.
   */
  forward(request: ForwardRequest): Promise<ForwardOutcome> {
    const job = prepareJob(request);
    if (isOutcome(job)) {
      return Promise.resolve(job);
    }
    if (this.isClosing) {
      return Promise.resolve(closedOutcome(this.url));
    }
    const deadline = new Deadline(this.clock, request.timeoutMs);
    this.deadlines.add(deadline);
    return this.run(job, deadline, false)
      .catch((error: unknown) => {
        // a bug, not a NATS failure; still nothing may vanish silently
        this.logger.error('forward threw', { error: describeError(error) });
        return retry('rejected', `internal error: ${describeError(error)}`);
      })
      .finally(() => {
        deadline.dispose();
        this.deadlines.delete(deadline);
      });
  }

  /** A snapshot of the connection and the buffer. */
  stats(): NatsForwarderStats {
    return {
      url: this.url,
      isConnected: this.connection.isConnected,
      reconnects: this.connection.reconnects,
      inFlight: this.deadlines.size,
      waiting: this.buffer.waiting,
      bufferedBytes: this.buffer.bytes,
      bufferLimitBytes: this.buffer.limitBytes,
      rejectedBufferFull: this.buffer.rejected,
      unconfirmed: this.buffer.abandoned,
    };
  }

  /**
   * Ends every unfinished forward as `retry` and closes the connection.
   * Idempotent.
   */
  async close(): Promise<void> {
    this.isClosing = true;
    for (const deadline of [...this.deadlines]) {
      deadline.end('closed');
    }
    await this.connection.close();
  }

  /**
   * Runs synchronously up to the publish whenever the connection is up and
   * the route known: that is what keeps call order on the wire.
   */
  private async run(
    job: ForwardJob,
    deadline: Deadline,
    isAdmitted: boolean,
  ): Promise<ForwardOutcome> {
    if (!isAdmitted && !this.buffer.admit(job.bytes)) {
      const { bytes, limitBytes } = this.buffer;
      return bufferFullOutcome(this.url, bytes, limitBytes, job.bytes);
    }
    const session = this.connection.live;
    if (session === undefined || this.buffer.waiting > 0) {
      return this.hold(job, deadline);
    }

    if (job.mode === 'auto' && job.stream === undefined) {
      job.stream = this.streams.cached(job.subject);
    }
    if (job.mode === 'auto' && job.stream === undefined) {
      const failure = await this.lookup(session, job, deadline);
      return failure ?? this.run(job, deadline, false);
    }

    const maxPayload = session.nc.info?.max_payload;
    if (maxPayload !== undefined && job.bytes > maxPayload) {
      return tooLargeOutcome(this.url, job.bytes, maxPayload);
    }
    const context: PublishContext = {
      url: this.url,
      session,
      buffer: this.buffer,
      gaveUp: (what) => this.gaveUp(deadline, what),
    };
    if (job.mode === 'core' || job.stream === null) {
      return publishCore(context, job, deadline);
    }
    const outcome = await publishJetStream(context, job, deadline);
    if (outcome.status !== 'succeeded' && outcome.reason === 'no-stream') {
      // the remembered stream is gone: the next attempt looks again
      this.streams.forget(job.subject);
    }
    return outcome;
  }

  private hold(job: ForwardJob, deadline: Deadline): Promise<ForwardOutcome> {
    this.connection.open();
    return new Promise((resolve) => {
      const held: Held = {
        bytes: job.bytes,
        start: () => resolve(this.run(job, deadline, true)),
        fail: resolve,
      };
      this.buffer.hold(held);
      deadline.onEnd(() => {
        if (this.buffer.drop(held)) {
          resolve(this.gaveUp(deadline));
        }
      });
    });
  }

  /** Finds the stream of an `auto` forward; an outcome if that failed. */
  private async lookup(
    session: NatsSession,
    job: ForwardJob,
    deadline: Deadline,
  ): Promise<ForwardOutcome | undefined> {
    const find = async (subject: string) => {
      const jsm = await this.connection.jetStreamManager(session);
      return jsm.streams.find(subject).catch((error: unknown) => {
        if (isNoStream(error)) {
          return null;
        }
        throw error;
      });
    };
    const found = await deadline.race(
      this.streams.lookup(job.subject, find).then(
        (stream) => ({ stream }),
        (error: unknown) => ({ error }),
      ),
    );
    if (found === EXPIRED) {
      return this.gaveUp(deadline, 'answer to the stream lookup', false);
    }
    if ('error' in found) {
      return lookupFailedOutcome(job.subject, found.error);
    }
    job.stream = found.stream;
    return undefined;
  }

  /** Lets held forwards go, oldest first, before anything else runs. */
  private release(): void {
    for (const held of this.buffer.takeAll()) {
      held.start();
    }
  }

  private onGone(connectError: string | undefined): void {
    this.buffer.forgetSent();
    if (connectError === undefined) {
      // closed for good after working: held forwards wait for a new one
      if (this.buffer.waiting > 0 && !this.isClosing) {
        this.connection.open();
      }
      return;
    }
    const outcome = connectFailedOutcome(this.url, connectError);
    for (const held of this.buffer.takeAll()) {
      held.fail(outcome);
    }
  }

  /**
   * The outcome of a forward whose deadline ended before it finished:
   * while held (`waitingFor` undefined), or waiting for an answer to what
   * it sent (`isSent`: the message itself, or only a lookup).
   */
  private gaveUp(
    deadline: Deadline,
    waitingFor?: string,
    isSent = true,
  ): ForwardOutcome {
    if (deadline.reason === 'closed') {
      return closedOutcome(this.url);
    }
    const elapsed = deadline.elapsedMs();
    if (waitingFor === undefined) {
      const why = this.connection.notConnectedBecause;
      return notConnectedOutcome(this.url, elapsed, why);
    }
    if (!this.connection.isConnected) {
      const what = `no ${waitingFor} before the connection dropped`;
      return isSent
        ? lostOutcome(this.url, what)
        : retry('unreachable', `${this.url}: ${what}`);
    }
    return timeoutOutcome(this.url, waitingFor, deadline.timeoutMs);
  }
}
