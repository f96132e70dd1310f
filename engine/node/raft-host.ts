import type { NodeEvent } from './node-events';
import {
  outcomeUnknown,
  proposalDropped,
  settle,
  type PendingProposal,
  type PendingRead,
} from './pending';
import type { StateMachine } from './state-machine';
import type { Clock, Disposable } from '../ports/clock';
import { silentLogger, type Logger } from '../ports/logger';
import type { Rng } from '../ports/rng';
import type { Storage } from '../ports/storage';
import type { Transport } from '../ports/transport';
import {
  RaftNode,
  type RaftConfig,
  type RaftStatus,
  type Ready,
} from '../raft/raft-node';
import type { ConfChange, ConfState, Entry, NodeId } from '../raft/types';
import { AspenError } from '../util/errors';

/** Options of {@link RaftHost.start}. */
export interface RaftHostOptions {
  id: NodeId;
  storage: Storage;
  transport: Transport;
  stateMachine: StateMachine;
  clock: Clock;
  rng: Rng;
  logger?: Logger;
  /**
   * Milliseconds of `clock` per Raft tick (real ms at speed 1; a cluster
   * gives its Raft clock, so slow motion stretches ticks). @defaultValue 30
   */
  tickMs?: number;
  /** Core settings other than id, rng, logger and initialConf. */
  raft?: Partial<Omit<RaftConfig, 'id' | 'rng' | 'logger' | 'initialConf'>>;
  /** Membership when the storage is empty (a new cluster). */
  initialConf?: ConfState;
  /** Take a snapshot after this many applied entries. @defaultValue 10000 */
  snapshotEvery?: number;
  /** How long a proposal or read may wait. @defaultValue 10000 */
  requestTimeoutMs?: number;
}

/**
 * Runs one Raft core against real ports: ticks from the clock, messages from
 * the transport, one storage batch per ready, committed entries applied to
 * the state machine. `propose()` resolves when the entry is applied.
 *
 * Killing bumps the incarnation: every late callback of the old one (a
 * storage write finishing, a timer) is ignored, as if the process had died.
 */
export class RaftHost {
  private readonly raft: RaftNode;
  private readonly logger: Logger;
  private readonly listeners = new Set<(event: NodeEvent) => void>();
  private readonly proposals = new Map<number, PendingProposal>();
  private readonly reads = new Map<number, PendingRead>();
  private incarnation = 0;
  private isBusy = false;
  private isScheduled = false;
  private isStopped = false;
  private tickTimer?: Disposable;
  private unsubscribeTransport: () => void;
  private nextReadContext = 1;
  private applied = 0;
  private appliedSinceSnapshot = 0;
  private loopDone: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: RaftHostOptions,
    raft: RaftNode,
    applied: number,
  ) {
    this.raft = raft;
    this.applied = applied;
    this.logger = (options.logger ?? silentLogger).child({ node: options.id });
    this.unsubscribeTransport = options.transport.onMessage((message) => {
      if (this.isStopped) {
        return;
      }
      this.raft.step(message);
      this.schedule();
    });
    this.scheduleTick();
  }

  /** Loads what the storage kept, restores the state machine and starts. */
  static async start(options: RaftHostOptions): Promise<RaftHost> {
    const persisted = await options.storage.load();
    const snapshot = persisted.snapshot;
    if (snapshot !== undefined) {
      options.stateMachine.restore(snapshot.data);
    }
    const raft = new RaftNode(
      {
        electionTicks: 10,
        heartbeatTicks: 1,
        ...options.raft,
        id: options.id,
        rng: options.rng,
        logger: options.logger,
        initialConf: options.initialConf,
      },
      persisted,
    );
    const host = new RaftHost(options, raft, snapshot?.meta.index ?? 0);
    host.schedule();
    return host;
  }

  /** This node's id. */
  get id(): NodeId {
    return this.options.id;
  }

  /** The core's view: role, term, leader, indexes, membership. */
  status(): RaftStatus {
    return this.raft.status();
  }

  /** Listens to this node's events; returns the unsubscribe. */
  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Proposes `data` and resolves with the state machine's result once it is
   * applied here. Fails with `NOT_LEADER` on a follower, `PROPOSAL_DROPPED`
   * when it certainly did not commit, `OUTCOME_UNKNOWN` when it may have.
   */
  propose(data: Uint8Array): Promise<unknown> {
    this.assertRunning();
    const { index, term } = this.raft.propose(data);
    this.schedule();
    return this.track(index, term);
  }

  /** Proposes a membership change; resolves once it is applied here. */
  proposeConfChange(change: ConfChange): Promise<unknown> {
    this.assertRunning();
    const { index, term } = this.raft.proposeConfChange(change);
    this.schedule();
    return this.track(index, term);
  }

  /**
   * Resolves when this node's state machine may be read linearizably
   * (ReadIndex): the leader confirmed its leadership with a quorum and this
   * node has applied at least the read index.
   */
  read(): Promise<void> {
    this.assertRunning();
    const context = this.nextReadContext++;
    return new Promise<void>((resolve, reject) => {
      const pending: PendingRead = { resolve, reject };
      pending.timer = this.options.clock.setTimeout(() => {
        this.reads.delete(context);
        reject(new AspenError('READ_TIMEOUT', 'read not confirmed in time'));
      }, this.options.requestTimeoutMs ?? 10_000);
      this.reads.set(context, pending);
      this.raft.readIndex(context);
      this.schedule();
    });
  }

  /** Asks the leader (this node) to hand leadership to `to`. */
  transferLeadership(to: NodeId): void {
    this.assertRunning();
    this.raft.transferLeadership(to);
    this.schedule();
  }

  /** Starts an election now. */
  campaign(): void {
    this.assertRunning();
    this.raft.campaign();
    this.schedule();
  }

  /**
   * Stops like a crash: nothing more is written or sent, late callbacks of
   * this incarnation are ignored, pending requests end `OUTCOME_UNKNOWN`.
   */
  async kill(): Promise<void> {
    this.halt('killed');
    await Promise.allSettled([
      this.options.transport.close(),
      this.options.storage.close(),
    ]);
  }

  /** Stops gracefully: the write in progress finishes, then all closes. */
  async stop(): Promise<void> {
    const loop = this.loopDone;
    this.halt('stopped');
    await loop;
    await this.options.transport.close();
    await this.options.storage.close();
  }

  private halt(reason: 'killed' | 'stopped' | 'failed'): void {
    if (this.isStopped) {
      return;
    }
    this.isStopped = true;
    this.incarnation += 1;
    this.tickTimer?.dispose();
    this.unsubscribeTransport();
    for (const pending of this.proposals.values()) {
      settle(pending, { error: outcomeUnknown(`node ${this.id} ${reason}`) });
    }
    for (const pending of this.reads.values()) {
      settle(pending, {
        error: new AspenError('READ_FAILED', `node ${this.id} ${reason}`),
      });
    }
    this.proposals.clear();
    this.reads.clear();
    this.emit({ type: 'stopped', node: this.id, reason });
  }

  private assertRunning(): void {
    if (this.isStopped) {
      throw new AspenError('NODE_STOPPED', `node ${this.id} is not running`);
    }
  }

  private track(index: number, term: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const pending: PendingProposal = { term, resolve, reject };
      pending.timer = this.options.clock.setTimeout(() => {
        this.proposals.delete(index);
        reject(outcomeUnknown(`no outcome for index ${index} in time`));
      }, this.options.requestTimeoutMs ?? 10_000);
      this.proposals.set(index, pending);
    });
  }

  // one tick per firing; a stalled loop never replays missed ticks, so it
  // cannot turn into a burst of elections (DESIGN §3.2)
  private scheduleTick(): void {
    const incarnation = this.incarnation;
    this.tickTimer = this.options.clock.setTimeout(() => {
      if (incarnation !== this.incarnation) {
        return;
      }
      this.raft.tick();
      this.schedule();
      this.scheduleTick();
    }, this.options.tickMs ?? 30);
  }

  private schedule(): void {
    if (this.isScheduled || this.isBusy || this.isStopped) {
      return;
    }
    this.isScheduled = true;
    setImmediate(() => {
      this.isScheduled = false;
      this.loopDone = this.processReadies();
    });
  }

  private async processReadies(): Promise<void> {
    if (this.isBusy || this.isStopped) {
      return;
    }
    this.isBusy = true;
    const incarnation = this.incarnation;
    try {
      while (incarnation === this.incarnation && this.raft.hasReady()) {
        await this.handleReady(this.raft.ready(), incarnation);
      }
    } catch (error) {
      if (incarnation === this.incarnation) {
        this.logger.error('node failed', { error: String(error) });
        this.halt('failed');
      }
    } finally {
      this.isBusy = false;
    }
  }

  private async handleReady(ready: Ready, incarnation: number): Promise<void> {
    // the leader's appends go out while its own write is in flight
    // (thesis §10.2.1); replies that depend on the write wait for it
    this.options.transport.send(ready.messages);
    if (
      ready.hardState !== undefined ||
      ready.entries.length > 0 ||
      ready.snapshot !== undefined
    ) {
      await this.options.storage.save({
        hardState: ready.hardState,
        entries: ready.entries.length > 0 ? ready.entries : undefined,
        snapshot: ready.snapshot,
        // a snapshot from the leader replaces the log; the core re-sends
        // any entries it kept after it
        replaceLog: ready.snapshot !== undefined,
      });
      if (incarnation !== this.incarnation) {
        return;
      }
    }
    this.options.transport.send(ready.messagesAfterPersist);
    if (ready.snapshot !== undefined) {
      this.installSnapshot(ready.snapshot.data, ready.snapshot.meta.index);
    }
    this.applyEntries(ready.committedEntries);
    for (const { context, index } of ready.readStates) {
      const pending = this.reads.get(context);
      if (pending !== undefined) {
        pending.index = index;
      }
    }
    for (const context of ready.droppedReads) {
      this.failRead(context, 'NOT_LEADER', 'no leader to confirm the read');
    }
    this.releaseReads();
    if (ready.softState !== undefined) {
      const { term } = this.raft.status();
      this.emit({ type: 'role', node: this.id, term, ...ready.softState });
    }
    this.raft.advance(ready);
    await this.maybeSnapshot();
  }

  private installSnapshot(data: Uint8Array, index: number): void {
    this.options.stateMachine.restore(data);
    // proposals the snapshot covers committed, but whose entry won is lost
    for (const [pendingIndex, pending] of this.proposals) {
      if (pendingIndex <= index) {
        this.proposals.delete(pendingIndex);
        settle(pending, { error: outcomeUnknown('covered by a snapshot') });
      }
    }
    this.applied = index;
    this.appliedSinceSnapshot = 0;
    this.emit({
      type: 'snapshot',
      node: this.id,
      source: 'installed',
      index,
      bytes: data.byteLength,
    });
  }

  private applyEntries(entries: Entry[]): void {
    if (entries.length === 0) {
      return;
    }
    for (const entry of entries) {
      const result = this.options.stateMachine.apply(entry);
      this.applied = entry.index;
      this.appliedSinceSnapshot += 1;
      if (entry.type === 'config') {
        const { conf } = this.raft.status();
        this.emit({ type: 'membership', node: this.id, conf });
      }
      const pending = this.proposals.get(entry.index);
      if (pending === undefined) {
        continue;
      }
      this.proposals.delete(entry.index);
      if (pending.term === entry.term) {
        settle(pending, { value: result });
      } else {
        const why = `replaced by an entry of term ${entry.term}`;
        settle(pending, { error: proposalDropped(entry.index, why) });
      }
    }
    const { commit } = this.raft.status();
    this.emit({ type: 'commit', node: this.id, commit, applied: this.applied });
  }

  private releaseReads(): void {
    for (const [context, pending] of this.reads) {
      if (pending.index !== undefined && pending.index <= this.applied) {
        this.reads.delete(context);
        settle(pending, { value: undefined });
      }
    }
  }

  private failRead(context: number, code: string, message: string): void {
    const pending = this.reads.get(context);
    if (pending !== undefined) {
      this.reads.delete(context);
      settle(pending, { error: new AspenError(code, message) });
    }
  }

  // TODO(raft-host): serialise large state machines in chunks so a
  // snapshot never blocks the loop for long (DESIGN §3.2)
  private async maybeSnapshot(): Promise<void> {
    const every = this.options.snapshotEvery ?? 10_000;
    if (this.appliedSinceSnapshot < every) {
      return;
    }
    this.appliedSinceSnapshot = 0;
    const meta = this.raft.snapshotMeta(this.applied);
    const data = this.options.stateMachine.snapshot();
    const snapshot = { meta, data };
    this.raft.compact(snapshot);
    await this.options.storage.save({ snapshot, compactTo: meta.index });
    this.emit({
      type: 'snapshot',
      node: this.id,
      source: 'taken',
      index: meta.index,
      bytes: data.byteLength,
    });
  }

  private emit(event: NodeEvent): void {
    for (const listener of this.listeners) {
      listener(event);
    }
  }
}
