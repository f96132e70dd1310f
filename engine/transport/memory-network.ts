import type { Clock, Disposable } from '../ports/clock';
import type { Rng } from '../ports/rng';
import type { Transport } from '../ports/transport';
import type { Message, NodeId } from '../raft/types';
import { BugError } from '../util/errors';

import { decodeMessage, encodeMessage } from './codec';
import { FaultGate } from './fault-gate';
import { FaultPlan } from './fault-plan';

/** What a {@link MemoryNetwork} is built from. */
export interface MemoryNetworkOptions {
  /** Drives every delivery, delayed or not; a virtual one makes runs exact. */
  clock: Clock;
  /** Source of every random fault decision. */
  rng: Rng;
  /** The faults to apply. @defaultValue a new, empty plan */
  faults?: FaultPlan;
}

/** Message counts of one {@link MemoryTransport}. */
export interface MemoryTransportStats {
  /** Messages handed to `send`. */
  sent: number;
  /** Messages this node received. */
  received: number;
  /** Messages lost to faults, or sent to a node that is not on the network. */
  dropped: number;
}

/**
 * An in-process network for tests and simulation. Every delivery, even an
 * undelayed one, is a timer on the injected clock, so a virtual clock decides
 * the exact order of events. Messages travel encoded: the receiver gets its
 * own objects, never the sender's, and a message that would not survive the
 * wire does not survive here either.
 */
export class MemoryNetwork {
  /** The faults every transport on this network obeys. */
  readonly faults: FaultPlan;

  private readonly nodes = new Map<NodeId, MemoryTransport>();

  constructor(private readonly options: MemoryNetworkOptions) {
    this.faults = options.faults ?? new FaultPlan();
  }

  /**
   * Puts node `id` on the network. A node may join again after its
   * transport was closed (a restart); two open transports may not share an
   * id.
   */
  join(id: NodeId): MemoryTransport {
    if (this.nodes.has(id)) {
      throw new BugError(`node ${id} is already on the network`);
    }
    const transport = new MemoryTransport(id, this.options, this.faults, {
      find: (to) => this.nodes.get(to),
      leave: () => this.nodes.delete(id),
    });
    this.nodes.set(id, transport);
    return transport;
  }
}

interface Directory {
  find(id: NodeId): MemoryTransport | undefined;
  leave(): void;
}

/**
 * One node's end of a {@link MemoryNetwork}. Made by
 * {@link MemoryNetwork.join}. A handler that throws is not caught: the
 * error reaches whoever drives the clock, so a test sees it.
 */
export class MemoryTransport implements Transport {
  private readonly handlers = new Set<(message: Message) => void>();
  private readonly inFlight = new Set<Disposable>();
  private readonly gate: FaultGate<Uint8Array>;
  private readonly counts: MemoryTransportStats = {
    sent: 0,
    received: 0,
    dropped: 0,
  };
  private isClosed = false;

  /** @internal */
  constructor(
    /** This node's id. */
    readonly id: NodeId,
    private readonly options: MemoryNetworkOptions,
    faults: FaultPlan,
    private readonly directory: Directory,
  ) {
    this.gate = new FaultGate<Uint8Array>({
      from: id,
      faults,
      rng: options.rng,
      clock: options.clock,
      emit: (to, bytes) => this.dispatch(to, bytes),
      drop: () => this.counts.dropped++,
    });
  }

  /** {@inheritDoc Transport.send} */
  send(messages: readonly Message[]): void {
    if (this.isClosed) {
      return;
    }
    for (const message of messages) {
      if (message.from !== this.id) {
        throw new BugError(`node ${this.id} sent as node ${message.from}`);
      }
      this.counts.sent++;
      // encoded now, so later changes by the sender do not travel
      this.gate.pass(message.to, encodeMessage(message));
    }
  }

  /** {@inheritDoc Transport.onMessage} */
  onMessage(handler: (message: Message) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Counts so far. */
  stats(): MemoryTransportStats {
    return { ...this.counts };
  }

  /**
   * Leaves the network: cancels every delivery this node still had in
   * flight and drops whatever arrives for it from now on.
   */
  async close(): Promise<void> {
    if (this.isClosed) {
      return;
    }
    this.isClosed = true;
    this.gate.dispose();
    this.inFlight.forEach((timer) => timer.dispose());
    this.inFlight.clear();
    this.handlers.clear();
    this.directory.leave();
  }

  private dispatch(to: NodeId, bytes: Uint8Array): void {
    const timer = this.options.clock.setTimeout(() => {
      this.inFlight.delete(timer);
      const target = this.directory.find(to);
      if (target === undefined) {
        this.counts.dropped++;
        return;
      }
      target.receive(bytes);
    }, 0);
    this.inFlight.add(timer);
  }

  private receive(bytes: Uint8Array): void {
    this.counts.received++;
    // one decode per copy: duplicates are distinct objects too
    const message = decodeMessage(bytes);
    for (const handler of [...this.handlers]) {
      handler(message);
    }
  }
}
