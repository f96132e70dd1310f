import { PersistModel } from './persist-model';
import { SafetyChecker, type AppliedEntry } from './checks';
import {
  decodeState,
  encodeState,
  nodeConfig,
  type ClusterOptions,
} from './cluster-options';
import { formatMessage, formatReady } from './trace-format';
import { TraceLogger } from './trace-logger';
import {
  RaftNode,
  type RaftConfig,
  type Ready,
} from '../../../engine/raft/raft-node';
import type {
  ConfState,
  Message,
  MessageType,
  NodeId,
} from '../../../engine/raft/types';

/** One node: its core (absent while down), its disk, its applied state. */
export interface Peer {
  id: NodeId;
  node: RaftNode | undefined;
  store: PersistModel;
  initialConf: ConfState | undefined;
  applied: AppliedEntry[];
  /** A Ready written but not yet synced (process-ready with sync off). */
  held: Ready | undefined;
  incarnation: number;
}

/** Which queued messages a delivery concerns. */
export interface MessageFilter {
  from?: NodeId;
  to?: NodeId;
  type?: MessageType;
}

const text = new TextDecoder();
const bytes = new TextEncoder();

/**
 * An in-memory, synchronous cluster of RaftNodes for scripted tests: a
 * FIFO network with cuts and isolation, a disk model per node (crash loses
 * unsynced writes), and the safety checks of reference/raft.md §4.1 (one
 * leader per term, committed entries never change).
 */
export class Harness {
  readonly peers = new Map<NodeId, Peer>();
  queue: Message[] = [];
  readonly trace: string[] = [];
  readonly checks = new SafetyChecker();
  /** Every message sent (and not lost at once), in order. */
  readonly history: Message[] = [];
  /** Messages for which this returns true are lost when sent. */
  dropWhen: ((m: Message) => boolean) | undefined;
  private readonly blocked = new Set<string>();

  constructor(readonly options: ClusterOptions = {}) {}

  /** Adds fresh nodes that start from `conf` (a new cluster). */
  addNodes(ids: NodeId[], conf: ConfState): void {
    for (const id of ids) {
      this.addPeer(id, conf);
    }
  }

  /** Adds a node with empty state and no membership (joins later). */
  addEmptyNode(id: NodeId): void {
    this.addPeer(id, undefined);
  }

  peer(id: NodeId): Peer {
    const peer = this.peers.get(id);
    if (peer === undefined) {
      throw new Error(`no node ${id}`);
    }
    return peer;
  }

  /** The running core of `id`. */
  node(id: NodeId): RaftNode {
    const node = this.peer(id).node;
    if (node === undefined) {
      throw new Error(`node ${id} is down`);
    }
    return node;
  }

  ids(): NodeId[] {
    return [...this.peers.keys()].sort((a, b) => a - b);
  }

  liveIds(): NodeId[] {
    return this.ids().filter((id) => this.peers.get(id)!.node !== undefined);
  }

  log(line: string): void {
    this.trace.push(line);
  }

  tick(id: NodeId, count = 1): void {
    for (let i = 0; i < count; i++) {
      this.node(id).tick();
    }
  }

  /**
   * Hands out one Ready: sends `messages`, writes to disk, and (when
   * `sync`) makes the write durable, sends `messagesAfterPersist`, applies
   * and advances. Without `sync` the rest waits for {@link Harness.sync}.
   */
  processReady(id: NodeId, sync = true): boolean {
    const peer = this.peer(id);
    const node = this.node(id);
    if (peer.held !== undefined || !node.hasReady()) {
      return false;
    }
    const ready = node.ready();
    this.log(`> ${id} handling Ready`);
    for (const line of formatReady(ready)) {
      this.log(`  ${line}`);
    }
    this.enqueue(ready.messages);
    peer.store.stageReady(ready);
    peer.held = ready;
    if (sync) {
      this.sync(id);
    }
    return true;
  }

  /** Completes a held Ready: durable, replies out, applied, advanced. */
  sync(id: NodeId): void {
    const peer = this.peer(id);
    const ready = peer.held;
    if (ready === undefined || peer.node === undefined) {
      return;
    }
    peer.store.sync();
    this.enqueue(ready.messagesAfterPersist);
    if (ready.snapshot !== undefined) {
      peer.applied = decodeState(ready.snapshot.data);
    }
    for (const entry of ready.committedEntries) {
      this.apply(peer, {
        index: entry.index,
        term: entry.term,
        data: entry.type === 'normal' ? text.decode(entry.data) : entry.type,
      });
    }
    peer.held = undefined;
    peer.node.advance(ready);
    this.observe(id);
  }

  /**
   * Delivers (or drops) the queued messages matching `filter`, in FIFO
   * order; messages sent meanwhile wait for the next delivery.
   */
  deliver(filter: MessageFilter = {}, drop = false): number {
    const matching: Message[] = [];
    const rest: Message[] = [];
    for (const m of this.queue) {
      (matches(m, filter) ? matching : rest).push(m);
    }
    this.queue = rest;
    const byRecipient = new Map<NodeId, Message[]>();
    for (const m of matching) {
      byRecipient.set(m.to, [...(byRecipient.get(m.to) ?? []), m]);
    }
    for (const to of [...byRecipient.keys()].sort((a, b) => a - b)) {
      this.log(drop ? `> dropping for ${to}` : `> ${to} receiving messages`);
      for (const m of byRecipient.get(to)!) {
        const isLost =
          drop ||
          this.peers.get(to)?.node === undefined ||
          this.blocked.has(`${m.from}->${m.to}`);
        this.log(`  ${isLost && !drop ? 'lost: ' : ''}${formatMessage(m)}`);
        if (!isLost) {
          this.node(to).step(m);
          this.observe(to);
        }
      }
    }
    return matching.length;
  }

  /** Processes Readies and delivers messages until nothing moves. */
  stabilize(ids: NodeId[] = this.ids()): void {
    for (let round = 0; round < 1000; round++) {
      let isBusy = false;
      for (const id of ids) {
        if (this.peers.get(id)?.node !== undefined) {
          while (this.processReady(id)) {
            isBusy = true;
          }
        }
      }
      const inScope = (m: Message) => ids.includes(m.to);
      if (this.queue.some(inScope)) {
        const tos = [...new Set(this.queue.filter(inScope).map((m) => m.to))];
        for (const to of tos.sort((a, b) => a - b)) {
          this.deliver({ to });
        }
        isBusy = true;
      }
      if (!isBusy) {
        return;
      }
    }
    throw new Error('stabilize: still busy after 1000 rounds');
  }

  /** Queues messages; those over a cut link are lost at once. */
  enqueue(messages: readonly Message[]): void {
    for (const m of messages) {
      const isDropped = this.dropWhen?.(m) ?? false;
      if (!isDropped && !this.blocked.has(`${m.from}->${m.to}`)) {
        this.queue.push(m);
        this.history.push(m);
      }
    }
  }

  /** Ticks every live node once, then stabilizes; `count` times. */
  runTicks(count: number): void {
    for (let i = 0; i < count; i++) {
      for (const id of this.liveIds()) {
        this.node(id).tick();
      }
      this.stabilize();
    }
  }

  /** Runs until `done` holds, up to `maxTicks`; returns whether it did. */
  runUntil(done: () => boolean, maxTicks: number): boolean {
    for (let i = 0; i < maxTicks && !done(); i++) {
      this.runTicks(1);
    }
    return done();
  }

  /** Cuts `id` off from every other node, both ways. */
  isolate(id: NodeId): void {
    for (const other of this.ids()) {
      if (other !== id) {
        this.cut(id, other);
        this.cut(other, id);
      }
    }
  }

  /** Drops every message from `from` to `to` from now on. */
  cut(from: NodeId, to: NodeId): void {
    this.blocked.add(`${from}->${to}`);
  }

  heal(): void {
    this.blocked.clear();
  }

  /** Stops `id` as a power cut would: unsynced writes are lost. */
  crash(id: NodeId): void {
    const peer = this.peer(id);
    peer.node = undefined;
    peer.held = undefined;
    peer.store.crash();
  }

  /** Starts `id` again from what its disk kept. */
  restart(id: NodeId): void {
    const peer = this.peer(id);
    peer.incarnation += 1;
    const persisted = peer.store.load();
    peer.applied = persisted.snapshot
      ? decodeState(persisted.snapshot.data)
      : [];
    peer.node = new RaftNode(this.config(peer), persisted);
  }

  /** Has `id` snapshot its state at `index` and compact its log. */
  compact(id: NodeId, index: number): void {
    const peer = this.peer(id);
    const meta = this.node(id).snapshotMeta(index);
    const state = peer.applied.filter((entry) => entry.index <= index);
    const snapshot = { meta, data: encodeState(state) };
    this.node(id).compact(snapshot);
    peer.store.compact(snapshot);
  }

  /** Proposes a string; returns its position or the error's code. */
  propose(id: NodeId, data: string): string {
    try {
      const { index, term } = this.node(id).propose(bytes.encode(data));
      return `${index}/${term}`;
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  }

  /** Every node seen leading, by term. */
  get leaders(): Map<number, Set<NodeId>> {
    return this.checks.leaders;
  }

  /** The entry first applied at each index, by any node. */
  get committed(): Map<number, AppliedEntry> {
    return this.checks.committed;
  }

  /** Safety violations seen so far. */
  get violations(): string[] {
    return this.checks.violations;
  }

  /** Committed entries durable on fewer than a majority of `voters`. */
  underReplicated(voters: NodeId[]): string[] {
    return this.checks.underReplicated(voters.map((id) => this.peer(id).store));
  }

  /** The live leader with the highest term, or 0. */
  leader(): NodeId {
    let best: NodeId = 0;
    let bestTerm = -1;
    for (const id of this.liveIds()) {
      const status = this.node(id).status();
      if (status.role === 'leader' && status.term > bestTerm) {
        best = id;
        bestTerm = status.term;
      }
    }
    return best;
  }

  private addPeer(id: NodeId, initialConf: ConfState | undefined): void {
    const peer: Peer = {
      id,
      node: undefined,
      store: new PersistModel(),
      initialConf,
      applied: [],
      held: undefined,
      incarnation: 0,
    };
    this.peers.set(id, peer);
    peer.node = new RaftNode(this.config(peer), peer.store.load());
  }

  private config(peer: Peer): RaftConfig {
    const logger = this.options.logLines
      ? new TraceLogger(this.trace)
      : undefined;
    return nodeConfig(this.options, peer, logger);
  }

  private apply(peer: Peer, entry: AppliedEntry): void {
    this.checks.onApplied(peer.id, entry);
    peer.applied.push(entry);
  }

  private observe(id: NodeId): void {
    const status = this.node(id).status();
    if (status.role === 'leader') {
      this.checks.onLeader(id, status.term);
    }
  }
}

function matches(m: Message, filter: MessageFilter): boolean {
  return (
    (filter.from === undefined || m.from === filter.from) &&
    (filter.to === undefined || m.to === filter.to) &&
    (filter.type === undefined || m.type === filter.type)
  );
}
