import { createServer, type AddressInfo, type Server } from 'node:net';

import type { Logger } from '../ports/logger';
import type { PeerAddress, Transport } from '../ports/transport';
import type { Message, NodeId } from '../raft/types';
import { AspenError, BugError } from '../util/errors';

import { encodeFrames, encodeHello, PROTOCOL_VERSION } from './codec';
import { FaultGate } from './fault-gate';
import { InboundConnection, type InboundOptions } from './inbound-connection';
import { PeerLink, type DropReason, type LinkSettings } from './peer-link';
import {
  resolveTcpOptions,
  type PeerStats,
  type ResolvedTcpOptions,
  type TcpTransportOptions,
  type TcpTransportStats,
} from './tcp-options';

export type { PeerStats, TcpTransportOptions, TcpTransportStats };

/**
 * The real {@link Transport}: length-prefixed msgpack frames over TCP on
 * 127.0.0.1. Each node keeps one outbound connection per peer and accepts
 * one inbound connection from each. Messages sent in one event-loop turn
 * leave in a single write per peer.
 */
export class TcpTransport implements Transport {
  /** This node's id. */
  readonly id: NodeId;
  /** The port this transport listens on. */
  readonly port: number;

  private readonly options: ResolvedTcpOptions;
  private readonly logger: Logger;
  private readonly helloFrame: Uint8Array;
  private readonly gate: FaultGate<Message>;
  private readonly handlers = new Set<(message: Message) => void>();
  private readonly links = new Map<NodeId, PeerLink>();
  private readonly linkSettings: LinkSettings;
  private readonly inboundOptions: InboundOptions;
  private readonly inbound = new Set<InboundConnection>();
  private readonly inboundByPeer = new Map<NodeId, InboundConnection>();
  private readonly dirty = new Set<PeerLink>();
  private readonly drops: Record<DropReason, number> = {
    queueFull: 0,
    fault: 0,
    noRoute: 0,
    tooLarge: 0,
  };
  private rejectedConnections = 0;
  private flushHandle: NodeJS.Immediate | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly server: Server,
    options: TcpTransportOptions,
  ) {
    this.id = options.id;
    this.port = (server.address() as AddressInfo).port;
    this.options = resolveTcpOptions(options, this.port);
    this.logger = options.logger.child({ scope: 'transport', node: this.id });
    this.helloFrame = encodeFrames([
      encodeHello({
        version: PROTOCOL_VERSION,
        clusterId: options.clusterId,
        from: this.id,
      }),
    ]);
    this.gate = new FaultGate<Message>({
      from: this.id,
      faults: options.faults,
      rng: options.rng,
      clock: options.clock,
      emit: (to, message) => this.route(to, message),
      drop: (to) => this.dropped(to, 'fault', 1),
    });
    this.linkSettings = {
      ...this.options,
      helloFrame: this.helloFrame,
      logger: this.logger,
      onDrop: (_peer, reason, count) => (this.drops[reason] += count),
    };
    this.inboundOptions = {
      ...this.options,
      self: this.id,
      logger: this.logger,
      isKnownPeer: (id) => this.links.has(id),
      accepted: (connection, peer) => this.accepted(connection, peer),
      received: (peer, messages, bytes) => this.deliver(peer, messages, bytes),
      rejected: () => this.rejectedConnections++,
      closed: (connection) => this.forget(connection),
    };
    server.on('connection', (socket) => {
      if (this.closing !== null) {
        socket.destroy();
        return;
      }
      const connection = new InboundConnection(socket, this.inboundOptions);
      this.inbound.add(connection);
    });
    server.on('error', (error) => {
      this.logger.error('listener failed', { error: error.message });
    });
  }

  /** Starts listening on 127.0.0.1 and resolves with the transport. */
  static async listen(options: TcpTransportOptions): Promise<TcpTransport> {
    if (options.clusterId.length === 0 || options.clusterId.length > 256) {
      throw new AspenError(
        'INVALID_CLUSTER_ID',
        'cluster id must be 1-256 chars',
      );
    }
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new TcpTransport(server, options);
  }

  /**
   * Sets where each peer listens. Peers missing from `peers` are forgotten:
   * their queues dropped and their connections closed. Our own id is
   * ignored.
   */
  setPeers(peers: ReadonlyMap<NodeId, PeerAddress>): void {
    if (this.closing !== null) {
      return;
    }
    for (const [id, link] of this.links) {
      if (!peers.has(id)) {
        void link.close();
        this.links.delete(id);
        void this.inboundByPeer.get(id)?.close();
      }
    }
    for (const [id, address] of peers) {
      if (id === this.id) {
        continue;
      }
      const link = this.links.get(id);
      if (link !== undefined) {
        link.setAddress(address);
      } else {
        this.links.set(id, new PeerLink(id, address, this.linkSettings));
      }
    }
  }

  /** {@inheritDoc Transport.send} */
  send(messages: readonly Message[]): void {
    if (this.closing !== null) {
      return;
    }
    for (const message of messages) {
      if (message.from !== this.id) {
        throw new BugError(`node ${this.id} sent as node ${message.from}`);
      }
      if (!this.links.has(message.to)) {
        this.drops.noRoute++;
        continue;
      }
      this.gate.pass(message.to, message);
    }
  }

  /** {@inheritDoc Transport.onMessage} */
  onMessage(handler: (message: Message) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Traffic counters so far. */
  stats(): TcpTransportStats {
    const peers: PeerStats[] = [];
    for (const [peer, link] of this.links) {
      peers.push({
        peer,
        isConnected: link.isConnected,
        queued: link.queued,
        ...link.counters,
      });
    }
    return {
      id: this.id,
      port: this.port,
      peers,
      drops: { ...this.drops },
      rejectedConnections: this.rejectedConnections,
    };
  }

  /**
   * Destroys every socket, stops listening and cancels every timer. Resolves
   * once the sockets and the listener are really gone.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.flushHandle !== null) {
      clearImmediate(this.flushHandle);
      this.flushHandle = null;
    }
    this.gate.dispose();
    this.handlers.clear();
    const serverClosed = new Promise<void>((resolve) =>
      this.server.close(() => resolve()),
    );
    await Promise.all([
      ...[...this.links.values()].map((link) => link.close()),
      ...[...this.inbound].map((connection) => connection.close()),
      serverClosed,
    ]);
    this.links.clear();

    // The listener's 'close' fires on the next tick, but libuv frees the
    // handle only in its close phase, which a zero timeout waits past.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  private route(to: NodeId, message: Message): void {
    const link = this.links.get(to);
    if (link === undefined) {
      this.drops.noRoute++;
      return;
    }
    link.enqueue(message);
    this.dirty.add(link);
    this.flushHandle ??= setImmediate(() => this.flushAll());
  }

  private flushAll(): void {
    this.flushHandle = null;
    for (const link of this.dirty) {
      link.flush();
    }
    this.dirty.clear();
  }

  private accepted(connection: InboundConnection, peer: NodeId): void {
    // a peer that restarted may leave its old connection half-open
    const previous = this.inboundByPeer.get(peer);
    this.inboundByPeer.set(peer, connection);
    void previous?.close();
  }

  private forget(connection: InboundConnection): void {
    this.inbound.delete(connection);
    const peer = connection.peer;
    if (peer !== undefined && this.inboundByPeer.get(peer) === connection) {
      this.inboundByPeer.delete(peer);
    }
  }

  private deliver(peer: NodeId, messages: Message[], bytes: number): void {
    const counters = this.links.get(peer)?.counters;
    if (counters !== undefined) {
      counters.messagesReceived += messages.length;
      counters.bytesReceived += bytes;
    }
    for (const message of messages) {
      for (const handler of this.handlers) {
        try {
          handler(message);
        } catch (error) {
          // a throwing handler must not take the connection down with it
          this.logger.error('message handler failed', {
            peer,
            type: message.type,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    }
  }

  private dropped(peer: NodeId, reason: DropReason, count: number): void {
    this.drops[reason] += count;
    const counters = this.links.get(peer)?.counters;
    if (counters !== undefined) {
      counters.dropped += count;
    }
  }
}
