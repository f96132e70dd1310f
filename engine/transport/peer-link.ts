import { connect, type Socket } from 'node:net';

import type { Clock, Disposable } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { PeerAddress } from '../ports/transport';
import type { Message, NodeId } from '../raft/types';

import { encodeBatch, encodeFrames } from './codec';
import { MessageQueue } from './message-queue';

/** First wait before reconnecting to a peer. */
export const BACKOFF_INITIAL_MS = 20;

/** Longest wait between reconnect attempts. */
export const BACKOFF_MAX_MS = 1_000;

/** Counters of one peer, shared by its outbound link and inbound side. */
export interface PeerCounters {
  /** Messages written to the peer's socket. */
  messagesSent: number;
  /** Bytes written to it, frame headers included. */
  bytesSent: number;
  /** Messages that arrived from the peer and passed every check. */
  messagesReceived: number;
  /** Bytes of those messages' frames. */
  bytesReceived: number;
  /** Messages to this peer lost before reaching its socket. */
  dropped: number;
  /** Connection attempts after the first. */
  reconnects: number;
}

/** Why a message was dropped before reaching the wire. */
export type DropReason = 'queueFull' | 'fault' | 'noRoute' | 'tooLarge';

/** What every {@link PeerLink} of a transport shares. */
export interface LinkSettings {
  /** The framed handshake, written first on every connection. */
  helloFrame: Uint8Array;
  clock: Clock;
  logger: Logger;
  maxQueue: number;
  maxQueueBytes: number;
  maxFrameBytes: number;
  maxBufferedBytes: number;
  stallTimeoutMs: number;
  /** Told about messages to `peer` dropped before reaching the socket. */
  onDrop(peer: NodeId, reason: DropReason, count: number): void;
}

type LinkState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closed';

/**
 * The one outbound connection to a peer: made on first use, remade with
 * exponential backoff after a failure, and fed from a bounded queue. The
 * connection only carries our messages; the peer's come in on a connection
 * it makes to us.
 */
export class PeerLink {
  private state: LinkState = 'idle';
  private socket: Socket | null = null;
  private address: PeerAddress;
  private readonly queue: MessageQueue;
  private backoffMs = BACKOFF_INITIAL_MS;
  private openedAt = 0;
  private hasConnected = false;
  private retryTimer: Disposable | null = null;
  private stallTimer: Disposable | null = null;

  /** Traffic to this peer, and what its inbound side received. */
  readonly counters: PeerCounters = {
    messagesSent: 0,
    bytesSent: 0,
    messagesReceived: 0,
    bytesReceived: 0,
    dropped: 0,
    reconnects: 0,
  };

  constructor(
    /** The peer this link sends to. */
    readonly peer: NodeId,
    address: PeerAddress,
    private readonly options: LinkSettings,
  ) {
    this.address = address;
    this.queue = new MessageQueue(options.maxQueue, options.maxQueueBytes);
  }

  /** True while the connection is up and the handshake was written. */
  get isConnected(): boolean {
    return this.state === 'open';
  }

  /** Messages waiting for the connection or for the next flush. */
  get queued(): number {
    return this.queue.length;
  }

  /** Queues `message`; the transport flushes once per event-loop turn. */
  enqueue(message: Message): void {
    const dropped = this.queue.push(message);
    if (dropped > 0) {
      this.drop('queueFull', dropped);
    }
    if (this.state === 'idle') {
      this.connect();
    }
  }

  /** Points the link at a new address, dropping the old connection. */
  setAddress(address: PeerAddress): void {
    if (
      address.host === this.address.host &&
      address.port === this.address.port
    ) {
      return;
    }
    this.address = address;
    this.backoffMs = BACKOFF_INITIAL_MS;
    if (this.state !== 'waiting') {
      // an open or pending connection to the old address is useless now
      this.socket?.destroy();
      return;
    }
    this.retryTimer?.dispose();
    this.retryTimer = null;
    this.state = 'idle';
    if (this.queue.length > 0) {
      this.connect();
    }
  }

  /** Writes every queued message as one write, if the socket can take it. */
  flush(): void {
    const socket = this.socket;
    if (this.state !== 'open' || socket === null || this.queue.length === 0) {
      return;
    }
    if (socket.writableLength > this.options.maxBufferedBytes) {
      // the peer is not keeping up: hold messages in the bounded queue
      this.watchStall(socket);
      return;
    }
    const messages = this.queue.takeAll();
    const bodies: Uint8Array[] = [];
    const count = this.encode(messages, bodies);
    if (count === 0) {
      return;
    }
    const frames = encodeFrames(bodies);
    socket.write(frames);
    this.counters.messagesSent += count;
    this.counters.bytesSent += frames.length;
    if (socket.writableLength > this.options.maxBufferedBytes) {
      this.watchStall(socket);
    }
  }

  /** Closes the connection for good and cancels every timer. */
  async close(): Promise<void> {
    this.state = 'closed';
    this.retryTimer?.dispose();
    this.retryTimer = null;
    this.stallTimer?.dispose();
    this.stallTimer = null;
    this.queue.clear();
    const socket = this.socket;
    if (socket === null || socket.closed) {
      return;
    }
    const closed = new Promise<void>((resolve) =>
      socket.once('close', resolve),
    );
    socket.destroy();
    await closed;
  }

  private drop(reason: DropReason, count: number): void {
    this.counters.dropped += count;
    this.options.onDrop(this.peer, reason, count);
  }

  private connect(): void {
    if (this.hasConnected) {
      this.counters.reconnects++;
    }
    this.hasConnected = true;
    this.state = 'connecting';
    const socket = connect({
      host: this.address.host,
      port: this.address.port,
    });
    socket.setNoDelay(true);
    this.socket = socket;
    let lastError: Error | undefined;

    socket.once('connect', () => {
      this.state = 'open';
      this.openedAt = this.options.clock.now();
      socket.write(this.options.helloFrame);
      this.flush();
    });
    socket.on('data', () => {
      this.options.logger.warn('closing connection', {
        peer: this.peer,
        reason: 'peer wrote on our outbound connection',
      });
      socket.destroy();
    });
    socket.on('drain', () => {
      this.stallTimer?.dispose();
      this.stallTimer = null;
      this.flush();
    });
    socket.on('error', (error) => (lastError = error));
    socket.once('close', () => this.closed(socket, lastError));
  }

  private closed(socket: Socket, error: Error | undefined): void {
    if (this.socket !== socket) {
      return;
    }
    this.socket = null;
    this.stallTimer?.dispose();
    this.stallTimer = null;
    if (this.state === 'closed') {
      return;
    }
    const wasOpen = this.state === 'open';
    const fields = { peer: this.peer, error: error?.message };
    if (wasOpen) {
      this.options.logger.info('connection to peer lost', fields);
    } else {
      this.options.logger.debug('cannot connect to peer', fields);
    }

    // A connection that lived long was healthy: start the backoff over.
    // One that the peer closed at once (it refused us) keeps doubling.
    const lived = wasOpen ? this.options.clock.now() - this.openedAt : 0;
    const waitMs =
      lived >= BACKOFF_MAX_MS ? BACKOFF_INITIAL_MS : this.backoffMs;
    this.backoffMs = Math.min(waitMs * 2, BACKOFF_MAX_MS);
    this.state = 'waiting';
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.queue.length > 0) {
        this.connect();
      } else {
        this.state = 'idle';
      }
    }, waitMs);
  }

  // Splits a batch whose frame would exceed the receiver's limit; a single
  // message over the limit can never be delivered and is dropped. Returns
  // how many messages made it into `out`.
  private encode(messages: Message[], out: Uint8Array[]): number {
    const body = encodeBatch(messages);
    if (body.length <= this.options.maxFrameBytes) {
      out.push(body);
      return messages.length;
    }
    if (messages.length === 1) {
      this.options.logger.error('message too large to send', {
        peer: this.peer,
        bytes: body.length,
        limit: this.options.maxFrameBytes,
      });
      this.drop('tooLarge', 1);
      return 0;
    }
    const half = messages.length >> 1;
    return (
      this.encode(messages.slice(0, half), out) +
      this.encode(messages.slice(half), out)
    );
  }

  // Gives a backed-up socket `stallTimeoutMs` to make progress; if the
  // kernel took nothing from it in that time, the peer is not reading.
  private watchStall(socket: Socket): void {
    if (this.stallTimer !== null) {
      return;
    }
    const dispatched = socket.bytesWritten - socket.writableLength;
    this.stallTimer = this.options.clock.setTimeout(() => {
      this.stallTimer = null;
      if (this.socket !== socket || socket.writableLength === 0) {
        return;
      }
      if (socket.bytesWritten - socket.writableLength > dispatched) {
        this.watchStall(socket);
        return;
      }
      this.options.logger.warn('closing connection', {
        peer: this.peer,
        reason: 'peer stopped reading',
        buffered: socket.writableLength,
      });
      socket.destroy();
    }, this.options.stallTimeoutMs);
  }
}
