import type { PersistedState } from '../ports/storage';
import type { Ready } from '../raft/raft-node';
import type { Message, NodeId } from '../raft/types';

import { CommittedLog, digestEntry } from './invariants/committed-log';
import { Durability, type DurableView } from './invariants/durability';
import { ElectionSafety } from './invariants/election-safety';
import { LogSafety } from './invariants/log-safety';
import { NodeProgress } from './invariants/node-progress';
import { StateAgreement } from './invariants/state-agreement';
import { LogMirror } from './log-view';
import type { NodeObserver } from './node-env';
import type { SimNode } from './sim-node';
import type { Trace } from './trace';

interface NodeWatch {
  role: string;
  term: number;
  /** Commit index of the last ready seen. */
  commit: number;
  /** The term it was first seen leading, and its commit index then. */
  leading?: { term: number; commit: number };
}

/**
 * Wires every invariant to the simulated nodes: each hook checks only what
 * the event changed (the new ready, the messages leaving, the entry just
 * applied), so the cost stays proportional to the run. Also writes the
 * trace lines for role changes, commits and votes.
 */
export class ClusterChecks implements NodeObserver {
  /** Every broken invariant so far (the first 20), in order. */
  readonly failures: string[] = [];
  /** Leaders per term (≤1 each). */
  readonly elections: ElectionSafety;
  /** The committed log as every node saw it. */
  readonly committed: CommittedLog;
  private readonly progress: NodeProgress;
  private readonly durability: Durability;
  private readonly logSafety: LogSafety;
  private readonly states: StateAgreement;
  /** Snapshots taken by nodes and installed from leaders. */
  readonly snapshots = { taken: 0, installed: 0 };
  /** Called when a node grants a vote (the nemesis may crash it). */
  onVoteGranted: (node: SimNode) => void = () => {};
  /** Called when a node is first seen leading a term. */
  onElected: (node: SimNode) => void = () => {};
  private readonly watches = new Map<NodeId, NodeWatch>();
  /** Durable views, each valid while its node's durableVersion holds. */
  private readonly durableCache = new Map<
    NodeId,
    { version: number; view: DurableView }
  >();

  /**
   * @param isStrict - also check the protocol's steps (durable before
   *   reply, the commit rule, acknowledged entries kept), not only the
   *   end-to-end invariants; off, it shows what those catch alone
   */
  constructor(
    private readonly trace: Trace,
    private readonly now: () => number,
    private readonly nodes: ReadonlyMap<NodeId, SimNode>,
    private readonly isStrict = true,
  ) {
    const report = (message: string) => this.fail(message);
    this.elections = new ElectionSafety(report);
    this.committed = new CommittedLog(report);
    this.progress = new NodeProgress(report);
    this.durability = new Durability(report, (id) => this.durableView(id));
    this.logSafety = new LogSafety(report, this.committed);
    this.states = new StateAgreement(report);
  }

  /** Records a failure and puts it in the trace. */
  fail(message: string): void {
    if (this.failures.length < 20) {
      this.failures.push(message);
    }
    this.trace.line(this.now(), `FAIL ${message}`);
  }

  onStart(node: SimNode, persisted: PersistedState): void {
    const status = node.raft!.status();
    this.progress.restarted(node.id, node.incarnation, persisted.hardState, {
      term: status.term,
      vote: status.vote,
      commit: status.commit,
      applied: node.applied,
      lastIndex: status.lastIndex,
    });
    this.logSafety.forget(node.id);
    this.watches.set(node.id, {
      role: status.role,
      term: status.term,
      commit: persisted.hardState.commit,
    });
    this.trace.line(
      this.now(),
      `n${node.id} start term ${status.term} commit ${status.commit}`,
    );
  }

  onReady(node: SimNode, ready: Ready, firstAppended: number): void {
    const id = node.id;
    const status = node.raft!.status();
    const term = status.term;
    const watch = this.watch(node);
    const commit = Math.max(watch.commit, ready.hardState?.commit ?? 0);

    if (ready.snapshot !== undefined) {
      const { index, term: snapTerm } = ready.snapshot.meta;
      this.committed.observe(id, index, snapTerm, undefined, term);
      this.snapshots.installed += 1;
      this.trace.line(this.now(), `n${id} install snapshot ${index}`);
    }
    if (node.mirror.gapAt > 0) {
      this.fail(
        `log: n${id} was handed entries from ${node.mirror.gapAt} ` +
          `past its last index ${node.mirror.lastIndex}`,
      );
    }
    if (firstAppended > 0) {
      this.logSafety.appended(id, term, commit, firstAppended, node.mirror);
    }
    if (status.role === 'leader' && !this.committed.knowsLeader(term)) {
      this.committed.observeLeader(term, id, node.mirror.freeze());
    }

    if (commit > watch.commit) {
      this.observeCommit(node, watch.commit, commit, term);
      const isLeading =
        watch.leading?.term === term && status.role === 'leader';
      if (this.isStrict && isLeading) {
        const from = watch.leading!.commit;
        this.logSafety.leaderCommit(id, term, from, commit, node.mirror);
      }
      watch.commit = commit;
    }
    for (const entry of ready.committedEntries) {
      const digest = digestEntry(entry);
      this.committed.observe(id, entry.index, entry.term, digest, term);
    }
  }

  onSend(node: SimNode, messages: readonly Message[]): void {
    for (const message of messages) {
      const isGrant = !message.reject;
      if (this.isStrict) {
        this.durability.reply(message);
        if (message.type === 'appResp' && isGrant) {
          this.logSafety.acknowledged(node.id, message.term, message.index);
        }
      }
      if (message.type === 'voteResp' && isGrant) {
        this.trace.line(
          this.now(),
          `n${node.id} votes n${message.to} in term ${message.term}`,
        );
        this.onVoteGranted(node);
      }
    }
  }

  onCompact(node: SimNode, index: number): void {
    this.snapshots.taken += 1;
    this.trace.line(this.now(), `n${node.id} compact ${index}`);
  }

  onApplied(node: SimNode): void {
    this.states.observe(node.id, node.applied, node.kv.stateHash());
  }

  afterEvent(node: SimNode): void {
    const raft = node.raft;
    if (raft === undefined) {
      return;
    }
    const status = raft.status();
    this.progress.observe(node.id, node.incarnation, {
      term: status.term,
      vote: status.vote,
      commit: status.commit,
      applied: node.applied,
      lastIndex: status.lastIndex,
    });
    const watch = this.watch(node);
    if (status.role === 'leader') {
      this.elections.observeLeader(status.term, node.id);
      if (watch.leading?.term !== status.term) {
        watch.leading = { term: status.term, commit: status.commit };
        this.onElected(node);
      }
    }
    if (status.role !== watch.role || status.term !== watch.term) {
      this.trace.line(
        this.now(),
        `n${node.id} ${status.role} term ${status.term}`,
      );
      watch.role = status.role;
      watch.term = status.term;
    }
  }

  onError(node: SimNode, where: string, error: unknown): void {
    const text =
      error instanceof Error ? (error.stack ?? error.message) : error;
    this.fail(`n${node.id} threw in ${where}: ${String(text)}`);
  }

  private observeCommit(
    node: SimNode,
    from: number,
    to: number,
    term: number,
  ): void {
    let voterSets: NodeId[][] | undefined;
    for (let index = from + 1; index <= to; index++) {
      const entryTerm = node.mirror.termAt(index);
      if (entryTerm === undefined) {
        continue;
      }
      const isNew = this.committed.termAt(index) === undefined;
      this.committed.observe(node.id, index, entryTerm, undefined, term);
      if (isNew) {
        voterSets ??= this.voterSets();
        this.durability.committed(index, entryTerm, voterSets);
      }
    }
    this.trace.line(this.now(), `n${node.id} commit ${to}`);
  }

  // every membership a live node holds, in its log or applied: the entry
  // was committed under one of them (see Durability)
  private voterSets(): NodeId[][] {
    const sets: NodeId[][] = [];
    const seen = new Set<string>();
    const add = (voters: readonly NodeId[]) => {
      const key = voters.join(',');
      if (voters.length > 0 && !seen.has(key)) {
        seen.add(key);
        sets.push([...voters]);
      }
    };
    for (const node of this.nodes.values()) {
      if (node.raft !== undefined) {
        add(node.raft.status().conf.voters);
        add(node.appliedConf.voters);
      }
    }
    return sets;
  }

  private durableView(id: NodeId): DurableView | undefined {
    const node = this.nodes.get(id);
    if (node === undefined) {
      return undefined;
    }
    const cached = this.durableCache.get(id);
    if (cached?.version === node.durableVersion) {
      return cached.view;
    }
    const state = node.storage.durableState();
    const view = {
      hardState: state.hardState,
      log: LogMirror.fromPersisted(state),
    };
    this.durableCache.set(id, { version: node.durableVersion, view });
    if (view.log.gapAt > 0) {
      this.fail(
        `storage: n${id} holds entries from ${view.log.gapAt} after a ` +
          `hole (its log ends at ${view.log.lastIndex})`,
      );
    }
    return view;
  }

  private watch(node: SimNode): NodeWatch {
    let watch = this.watches.get(node.id);
    if (watch === undefined) {
      watch = { role: 'follower', term: 0, commit: 0 };
      this.watches.set(node.id, watch);
    }
    return watch;
  }
}
