import { SeededRng } from '../ports/rng';
import { decodeConfChange } from '../raft/entry-codec';
import { applyConfChange, EMPTY_CONF, sameConf } from '../raft/membership';
import { RaftNode, type RaftConfig, type Ready } from '../raft/raft-node';
import type { ConfState, Entry, Message, NodeId } from '../raft/types';
import { MemoryStorage } from '../storage/memory-storage';
import { BugError } from '../util/errors';

import type {
  ClientTarget,
  ProposeOutcome,
  ReadOutcome,
} from './client-target';
import {
  decodeCommand,
  encodeCommand,
  KvMachine,
  type KvCommand,
} from './kv-machine';
import { LogMirror } from './log-view';
import { readyBatches, type SimNodeEnv } from './node-env';

interface PendingProposal {
  term: number;
  done: (outcome: ProposeOutcome) => void;
}

interface PendingRead {
  key: string;
  /** Set once the leader confirmed the read: serve at this applied index. */
  index?: number;
  done: (outcome: ReadOutcome) => void;
}

/**
 * One simulated node: a RaftNode driven the way the real runtime drives
 * it, over a MemoryStorage that survives crashes and a KvMachine that does
 * not. Each ready's writes are staged, become durable after a virtual fsync
 * delay, and only then go its `messagesAfterPersist`, its committed entries
 * and `advance()`; its plain `messages` leave at once, so a leader's
 * appends race its own write (thesis §10.2.1). One ready is in flight at a
 * time, as in the runtime.
 */
export class SimNode implements ClientTarget {
  /** The node's disk: survives crashes, loses what was not synced. */
  readonly storage = new MemoryStorage();
  /** The running core, `undefined` while the node is down. */
  raft: RaftNode | undefined;
  /** Bumped by every crash and start; late callbacks of old ones no-op. */
  incarnation = 0;
  /** Bumped whenever what the storage holds durably may have changed. */
  durableVersion = 0;
  /** The state machine, rebuilt from the snapshot on every start. */
  kv = new KvMachine();
  /** Highest index applied to `kv`. */
  applied = 0;
  /** Membership as of `applied`. */
  appliedConf: ConfState = EMPTY_CONF;
  /** The log as the node's readies described it. */
  mirror = new LogMirror();
  private appliedTerm = 0;
  private snapshotIndex = 0;
  private isSyncing = false;
  private proposals = new Map<number, PendingProposal>();
  private reads = new Map<number, PendingRead>();
  private nextContext = 1;

  constructor(
    readonly id: NodeId,
    private readonly env: SimNodeEnv,
    private readonly initialConf: ConfState | undefined,
  ) {}

  /** Whether the node is running. */
  get isUp(): boolean {
    return this.raft !== undefined;
  }

  /** Starts a new incarnation from what the storage holds. */
  start(): void {
    const persisted = this.storage.loadSync();
    this.incarnation += 1;
    this.kv = new KvMachine();
    this.applied = 0;
    this.appliedTerm = 0;
    this.appliedConf = this.initialConf ?? EMPTY_CONF;
    const snapshot = persisted.snapshot;
    if (snapshot !== undefined) {
      this.kv.restore(snapshot.data);
      this.applied = snapshot.meta.index;
      this.appliedTerm = snapshot.meta.term;
      this.appliedConf = snapshot.meta.conf;
    }
    this.snapshotIndex = this.applied;
    this.mirror = LogMirror.fromPersisted(persisted);

    const seed = this.env.rng.nextUint32();
    const config: RaftConfig = {
      ...this.env.raft,
      id: this.id,
      rng: new SeededRng(seed),
      initialConf: this.initialConf,
    };
    try {
      this.raft = new RaftNode(config, persisted);
    } catch (error) {
      this.env.observer.onError(this, 'start', error);
      return;
    }
    this.env.observer.onStart(this, persisted);
    this.scheduleTick(this.incarnation);
    this.run('start', () => {});
  }

  /**
   * Power cut: memory is gone, unsynced writes are lost (a torn prefix of
   * the first may survive), pending client calls never hear back.
   */
  crash(tornTail: boolean): void {
    if (this.raft === undefined) {
      return;
    }
    this.incarnation += 1;
    this.raft = undefined;
    this.isSyncing = false;
    this.proposals = new Map();
    this.reads = new Map();
    this.storage.crash({ tornTail, rng: this.env.rng });
    this.durableVersion += 1;
  }

  /** Delivers a message from the network. */
  deliver(message: Message): void {
    this.run('step', (raft) => raft.step(message));
  }

  /**
   * Proposes `command` as {@link ClientTarget.propose} says; a node that
   * is down swallows the call, as a dead process would.
   */
  propose(command: KvCommand, done: (outcome: ProposeOutcome) => void): void {
    const raft = this.raft;
    if (raft === undefined) {
      return;
    }
    // refusals (NOT_LEADER, PROPOSAL_DROPPED) reach the client as thrown
    const { index, term } = raft.propose(encodeCommand(command));
    this.proposals.get(index)?.done({ kind: 'dropped' });
    this.proposals.set(index, { term, done });
    this.run('propose', () => {});
  }

  /** Reads `key` through ReadIndex, as {@link ClientTarget.readIndex} says. */
  readIndex(key: string, done: (outcome: ReadOutcome) => void): void {
    const raft = this.raft;
    if (raft === undefined) {
      return;
    }
    const context = this.nextContext++;
    raft.readIndex(context);
    this.reads.set(context, { key, done });
    this.run('readIndex', () => {});
  }

  /**
   * Runs `action` against the live core, then drains its readies and lets
   * the checks look. An exception from the core is a bug, reported.
   */
  run(where: string, action: (raft: RaftNode) => void): void {
    const raft = this.raft;
    if (raft === undefined) {
      return;
    }
    try {
      action(raft);
      this.pump();
    } catch (error) {
      this.env.observer.onError(this, where, error);
      return;
    }
    this.env.observer.afterEvent(this);
  }

  private scheduleTick(incarnation: number): void {
    // a little jitter so the nodes' clocks drift apart
    const jitter = this.env.rng.nextUint32() % 8 === 0 ? 1 : 0;
    this.env.queue.schedule(this.env.tickMs + jitter, () => {
      if (incarnation !== this.incarnation) {
        return;
      }
      this.run('tick', (raft) => raft.tick());
      this.scheduleTick(incarnation);
    });
  }

  private pump(): void {
    const raft = this.raft;
    while (raft !== undefined && !this.isSyncing && raft.hasReady()) {
      this.handleReady(raft, raft.ready());
    }
  }

  private handleReady(raft: RaftNode, ready: Ready): void {
    const { snapshot, entries } = ready;
    if (snapshot !== undefined) {
      this.mirror.installSnapshot(snapshot.meta);
    }
    this.mirror.append(entries);
    this.env.observer.onReady(this, ready, entries[0]?.index ?? 0);

    this.send(ready.messages);
    for (const { context, index } of ready.readStates) {
      const read = this.reads.get(context);
      if (read !== undefined) {
        read.index = index;
      }
    }
    for (const context of ready.droppedReads) {
      this.reads.get(context)?.done({ kind: 'dropped' });
      this.reads.delete(context);
    }

    const batches = readyBatches(ready);
    if (batches.length === 0) {
      this.afterPersist(raft, ready);
      return;
    }
    for (const batch of batches) {
      this.storage.saveSync(batch);
    }
    this.isSyncing = true;
    const incarnation = this.incarnation;
    this.env.queue.schedule(this.env.fsyncDelay(), () => {
      if (incarnation !== this.incarnation) {
        return;
      }
      this.run('persist', (live) => {
        this.storage.sync();
        this.durableVersion += 1;
        this.isSyncing = false;
        this.afterPersist(live, ready);
      });
    });
  }

  private afterPersist(raft: RaftNode, ready: Ready): void {
    this.send(ready.messagesAfterPersist);
    if (ready.snapshot !== undefined) {
      const { meta, data } = ready.snapshot;
      this.kv.restore(data);
      this.applied = meta.index;
      this.appliedTerm = meta.term;
      this.appliedConf = meta.conf;
      this.snapshotIndex = meta.index;
      for (const index of [...this.proposals.keys()]) {
        if (index <= meta.index) {
          // folded into the snapshot: this node cannot tell the outcome
          this.proposals.delete(index);
        }
      }
      this.env.observer.onApplied(this);
    }
    for (const entry of ready.committedEntries) {
      this.apply(entry);
    }
    raft.advance(ready);
    this.maybeCompact(raft);
    this.serveReads();
  }

  private apply(entry: Entry): void {
    if (entry.index <= this.applied) {
      return;
    }
    const pending = this.proposals.get(entry.index);
    this.proposals.delete(entry.index);
    let output;
    if (entry.type === 'normal') {
      output = this.kv.apply(decodeCommand(entry.data));
    } else if (entry.type === 'config') {
      const change = decodeConfChange(entry.data);
      const next = change && applyConfChange(this.appliedConf, change);
      if (next !== undefined && typeof next !== 'string') {
        this.appliedConf = next;
      }
    }
    this.applied = entry.index;
    this.appliedTerm = entry.term;
    this.env.observer.onApplied(this);

    if (pending === undefined) {
      return;
    }
    if (pending.term !== entry.term || output === undefined) {
      pending.done({ kind: 'dropped' });
      return;
    }
    pending.done({
      kind: 'applied',
      output,
      index: entry.index,
      term: entry.term,
    });
  }

  private maybeCompact(raft: RaftNode): void {
    if (this.applied - this.snapshotIndex < this.env.snapshotEvery) {
      return;
    }
    if (raft.status().snapshotIndex >= this.applied) {
      // a snapshot from the leader overtook us while this ready was being
      // written; the next ready restores it
      return;
    }
    // the core knows the membership at any index; ours must agree
    const meta = raft.snapshotMeta(this.applied);
    if (
      meta.term !== this.appliedTerm ||
      !sameConf(meta.conf, this.appliedConf)
    ) {
      throw new BugError(
        `n${this.id}: applied (${this.applied}, term ${this.appliedTerm}) ` +
          `disagrees with the core's snapshot metadata`,
      );
    }
    const snapshot = { meta, data: this.kv.snapshot() };
    raft.compact(snapshot);
    this.snapshotIndex = this.applied;
    this.mirror.compact(this.applied);
    // durable with the next ready's write; lost harmlessly on a crash
    this.storage.saveSync({ snapshot, compactTo: this.applied });
    this.env.observer.onCompact(this, this.applied);
  }

  private serveReads(): void {
    for (const [context, read] of this.reads) {
      if (read.index !== undefined && read.index <= this.applied) {
        this.reads.delete(context);
        read.done({ kind: 'read', value: this.kv.get(read.key) });
      }
    }
  }

  private send(messages: readonly Message[]): void {
    if (messages.length === 0) {
      return;
    }
    this.env.observer.onSend(this, messages);
    this.env.network.send(messages);
  }
}
