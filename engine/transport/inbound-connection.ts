import type { Socket } from 'node:net';

import type { Clock, Disposable } from '../ports/clock';
import type { LogFields, Logger } from '../ports/logger';
import type { Message, NodeId } from '../raft/types';

import {
  decodeBatch,
  decodeHello,
  FRAME_HEADER_BYTES,
  PROTOCOL_VERSION,
} from './codec';
import { FrameDecoder } from './frame-decoder';

/** The largest frame accepted before the handshake (a hello is tiny). */
export const MAX_HELLO_BYTES = 1024;

/** Settings and callbacks of an {@link InboundConnection}. */
export interface InboundOptions {
  /** This node. */
  self: NodeId;
  clusterId: string;
  clock: Clock;
  logger: Logger;
  maxFrameBytes: number;
  handshakeTimeoutMs: number;
  /** Whether `id` is a peer of ours right now. */
  isKnownPeer(id: NodeId): boolean;
  /** The handshake passed: the connection now speaks for `peer`. */
  accepted(connection: InboundConnection, peer: NodeId): void;
  /** A checked batch arrived; `bytes` counts its frame. */
  received(peer: NodeId, messages: Message[], bytes: number): void;
  /** The connection was refused or broke the protocol. */
  rejected(): void;
  /** The socket is gone. */
  closed(connection: InboundConnection): void;
}

/**
 * A connection a peer made to us. It must open with a handshake from a
 * known peer of the same cluster, then carry only well-formed batches of
 * messages from that peer to this node. Anything else closes it, with the
 * reason logged; the rest of the transport is unaffected.
 */
export class InboundConnection {
  /** The peer, once the handshake passed. */
  peer: NodeId | undefined;

  private readonly decoder = new FrameDecoder(MAX_HELLO_BYTES);
  private handshakeTimer: Disposable | null;
  private isRejected = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: InboundOptions,
  ) {
    socket.setNoDelay(true);
    this.handshakeTimer = options.clock.setTimeout(() => {
      this.handshakeTimer = null;
      this.reject('no handshake in time');
    }, options.handshakeTimeoutMs);
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('error', (error) => (lastError = error));
    socket.once('close', () => this.gone(lastError));
  }

  /** Closes the connection without complaint (shutdown or replacement). */
  async close(): Promise<void> {
    this.isRejected = true;
    this.cancelHandshakeTimer();
    if (this.socket.closed) {
      return;
    }
    const closed = new Promise<void>((resolve) =>
      this.socket.once('close', resolve),
    );
    this.socket.destroy();
    await closed;
  }

  private data(chunk: Buffer): void {
    try {
      this.decoder.push(chunk, (body) => {
        if (this.peer === undefined) {
          this.handshake(body);
        } else {
          this.batch(this.peer, body);
        }
        return !this.isRejected;
      });
    } catch (error) {
      this.reject('bad frame', error);
    }
  }

  private handshake(body: Uint8Array): void {
    let hello;
    try {
      hello = decodeHello(body);
    } catch (error) {
      this.reject('bad handshake', error);
      return;
    }
    const fields = { from: hello.from, clusterId: hello.clusterId };
    if (hello.version !== PROTOCOL_VERSION) {
      this.reject('unsupported protocol version', undefined, {
        ...fields,
        version: hello.version,
      });
      return;
    }
    if (hello.clusterId !== this.options.clusterId) {
      this.reject('wrong cluster', undefined, fields);
      return;
    }
    if (
      hello.from === this.options.self ||
      !this.options.isKnownPeer(hello.from)
    ) {
      this.reject('unknown node', undefined, fields);
      return;
    }
    this.cancelHandshakeTimer();
    this.peer = hello.from;
    this.decoder.maxFrameBytes = this.options.maxFrameBytes;
    this.options.accepted(this, hello.from);
  }

  private batch(peer: NodeId, body: Uint8Array): void {
    let messages: Message[];
    try {
      messages = decodeBatch(body);
    } catch (error) {
      this.reject('bad message', error);
      return;
    }

    // the whole batch is checked before any of it is delivered
    for (const message of messages) {
      if (message.from !== peer || message.to !== this.options.self) {
        this.reject('misaddressed message', undefined, {
          from: message.from,
          to: message.to,
        });
        return;
      }
    }
    this.options.received(peer, messages, body.length + FRAME_HEADER_BYTES);
  }

  private reject(reason: string, error?: unknown, extra?: LogFields): void {
    if (this.isRejected) {
      return;
    }
    this.isRejected = true;
    this.cancelHandshakeTimer();
    this.options.logger.warn('closing connection', {
      reason,
      peer: this.peer,
      remotePort: this.socket.remotePort,
      ...(error instanceof Error ? { error: error.message } : {}),
      ...(error instanceof Error && 'code' in error
        ? { code: error.code }
        : {}),
      ...extra,
    });
    this.options.rejected();
    this.socket.destroy();
  }

  private gone(error: Error | undefined): void {
    this.cancelHandshakeTimer();
    if (!this.isRejected && this.decoder.buffered > 0) {
      this.options.logger.warn('closing connection', {
        reason: 'connection closed mid-frame',
        peer: this.peer,
        buffered: this.decoder.buffered,
        error: error?.message,
      });
      this.options.rejected();
    }
    this.options.closed(this);
  }

  private cancelHandshakeTimer(): void {
    this.handshakeTimer?.dispose();
    this.handshakeTimer = null;
  }
}
