import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { describeError } from './nats-errors';
import type { Logger } from '../../ports/logger';

// two unanswered pings 5 s apart: a server that vanished without closing
// the socket is noticed within about 15 s
const PING_INTERVAL_MS = 5000;
const MAX_PINGS_OUT = 2;

/** Bound on one JetStream API request (stream lookup, PubAck). */
export const JS_API_TIMEOUT_MS = 5000;

/** The live connection and its JetStream client. */
export interface NatsSession {
  nc: NatsConnection;
  js: JetStreamClient;
}

/** What a {@link SharedNatsConnection} tells its owner. */
export interface ConnectionEvents {
  /** Connected or reconnected: publishing works again. */
  onUp(): void;
  /** The connection dropped; the client is redialling. */
  onDown(): void;
  /** The client threw its outbound buffer away to redial. */
  onRedial(): void;
  /** A connect failed (`error`), or the connection closed for good. */
  onGone(error: string | undefined): void;
}

/** Options of a {@link SharedNatsConnection}. */
export interface SharedNatsConnectionOptions {
  url: string;
  /** Pause between redials. */
  reconnectTimeWaitMs: number;
  /** Bound on one connect attempt. */
  connectTimeoutMs: number;
  logger: Logger;
}

/**
 * One lazily opened client connection, redialled forever once it has
 * connected, with its state read from the client's status events.
 */
export class SharedNatsConnection {
  private session: NatsSession | undefined;
  private manager: Promise<JetStreamManager> | undefined;
  private connecting: Promise<void> | undefined;
  private watching: Promise<void> | undefined;
  private isUp = false;
  private isClosing = false;
  private reconnectCount = 0;
  private connectError: string | undefined;

  constructor(
    private readonly options: SharedNatsConnectionOptions,
    private readonly events: ConnectionEvents,
  ) {}

  /** The session when connected right now, else undefined. */
  get live(): NatsSession | undefined {
    return this.isUp ? this.session : undefined;
  }

  /** Whether the connection is up. */
  get isConnected(): boolean {
    return this.isUp;
  }

  /** Successful redials so far. */
  get reconnects(): number {
    return this.reconnectCount;
  }

  /**
   * Why there is no connection: the last connect error ('' while the
   * first connect is under way), or undefined once connected.
   */
  get notConnectedBecause(): string | undefined {
    return this.session === undefined ? (this.connectError ?? '') : undefined;
  }

  /** Starts connecting unless connected, connecting or closed. */
  open(): void {
    if (this.session || this.connecting || this.isClosing) {
      return;
    }
    this.connecting = this.dial().finally(() => {
      this.connecting = undefined;
    });
  }

  /** The JetStream manager of the current session (made once per session). */
  jetStreamManager(session: NatsSession): Promise<JetStreamManager> {
    const make = () =>
      jetstreamManager(session.nc, {
        checkAPI: false,
        timeout: JS_API_TIMEOUT_MS,
      });
    if (session !== this.session) {
      return make();
    }
    this.manager ??= make();
    return this.manager;
  }

  /** Closes the connection and waits for its status loop to end. */
  async close(): Promise<void> {
    this.isClosing = true;
    await this.connecting;
    const session = this.session;
    this.session = undefined;
    this.manager = undefined;
    this.isUp = false;
    await session?.nc.close();
    await this.watching;
  }

  private async dial(): Promise<void> {
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: this.options.url,
        name: 'aspen-hook-studio forward',
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: this.options.reconnectTimeWaitMs,
        timeout: this.options.connectTimeoutMs,
        pingInterval: PING_INTERVAL_MS,
        maxPingOut: MAX_PINGS_OUT,
        noRandomize: true,
      });
    } catch (error) {
      this.connectError = describeError(error);
      this.options.logger.warn('cannot connect', { error: this.connectError });
      this.events.onGone(this.connectError);
      return;
    }
    if (this.isClosing) {
      await nc.close();
      return;
    }
    this.connectError = undefined;
    this.session = { nc, js: jetstream(nc, { timeout: JS_API_TIMEOUT_MS }) };
    this.manager = undefined;
    this.isUp = true;
    this.options.logger.info('connected');
    this.watching = this.watch(nc);
    this.events.onUp();
  }

  private async watch(nc: NatsConnection): Promise<void> {
    const logger = this.options.logger;
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        this.isUp = false;
        logger.warn('disconnected');
        this.events.onDown();
      } else if (status.type === 'reconnecting') {
        this.events.onRedial();
      } else if (status.type === 'reconnect') {
        this.isUp = true;
        this.reconnectCount += 1;
        logger.info('reconnected', { reconnects: this.reconnectCount });
        this.events.onRedial();
        this.events.onUp();
      } else if (status.type === 'error') {
        logger.warn('server error', { error: describeError(status.error) });
      }
    }

    // the client closed for good (by us, or on a fatal error)
    if (this.session?.nc === nc) {
      this.session = undefined;
      this.manager = undefined;
      this.isUp = false;
      this.connectError = 'the connection closed';
      this.events.onGone(undefined);
    }
  }
}
