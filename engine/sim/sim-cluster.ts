import { randomInt, type Rng } from '../ports/rng';
import type { ConfChange, ConfState, NodeId } from '../raft/types';
import { AspenError } from '../util/errors';

import type { EventQueue } from './event-queue';
import type { SimNodeEnv } from './node-env';
import { SimNode } from './sim-node';
import type { Trace } from './trace';

/** Counters of what happened to the cluster, for the run's stats. */
export interface ClusterStats {
  crashes: number;
  restarts: number;
  confChanges: number;
  confRefused: number;
  transfers: number;
}

/**
 * The simulated nodes and what an operator can do to them: crash and
 * restart, membership changes (a new id for every added node, never
 * reused) and leadership transfer. Operations that need a leader ask the
 * node that currently believes it leads, as a client of the real cluster
 * would be redirected to.
 */
export class SimCluster {
  readonly stats: ClusterStats = {
    crashes: 0,
    restarts: 0,
    confChanges: 0,
    confRefused: 0,
    transfers: 0,
  };
  private nextId: NodeId;

  constructor(
    private readonly env: SimNodeEnv,
    private readonly trace: Trace,
    private readonly rng: Rng,
    size: number,
    /** Filled here; shared with the checks and the network. */
    readonly nodes: Map<NodeId, SimNode>,
  ) {
    const voters = Array.from({ length: size }, (_, i) => i + 1);
    const conf: ConfState = { voters, learners: [] };
    for (const id of voters) {
      this.nodes.set(id, new SimNode(id, env, conf));
    }
    this.nextId = size + 1;
  }

  private get queue(): EventQueue {
    return this.env.queue;
  }

  /** Starts every node. */
  start(): void {
    for (const node of this.nodes.values()) {
      node.start();
    }
  }

  /** Nodes that are running. */
  live(): SimNode[] {
    return [...this.nodes.values()].filter((node) => node.isUp);
  }

  /** Nodes that are down. */
  down(): SimNode[] {
    return [...this.nodes.values()].filter((node) => !node.isUp);
  }

  /** The live node leading the highest term, if any. */
  leader(): SimNode | undefined {
    let best: { node: SimNode; term: number } | undefined;
    for (const node of this.live()) {
      const status = node.raft!.status();
      if (status.role === 'leader' && (!best || status.term > best.term)) {
        best = { node, term: status.term };
      }
    }
    return best?.node;
  }

  /**
   * A client's guess of the leader: usually a node that believes it leads
   * (the highest term, as a redirect would find), sometimes any live node,
   * which then refuses or forwards.
   */
  pickTarget(rng: Rng): SimNode | undefined {
    const leader = this.leader();
    if (leader !== undefined && randomInt(rng, 10) < 8) {
      return leader;
    }
    const live = this.live();
    return live.length === 0 ? undefined : live[randomInt(rng, live.length)];
  }

  /** The membership the leader holds, or `undefined` without a leader. */
  leaderConf(): ConfState | undefined {
    return this.leader()?.raft!.status().conf;
  }

  /** Crashes `node` (see {@link SimNode.crash}); a no-op when down. */
  crash(node: SimNode, tornTail: boolean): void {
    if (!node.isUp) {
      return;
    }
    this.stats.crashes += 1;
    this.trace.line(
      this.queue.now,
      `crash n${node.id}${tornTail ? ' (torn tail)' : ''}`,
    );
    node.crash(tornTail);
  }

  /** Starts a new incarnation of a crashed node. */
  restart(node: SimNode): void {
    if (node.isUp) {
      return;
    }
    this.stats.restarts += 1;
    node.start();
  }

  /** Adds a fresh node as a learner (it starts empty, without a conf). */
  addLearner(): void {
    const id = this.nextId;
    if (this.changeConf({ type: 'addLearner', node: id })) {
      this.nextId += 1;
      const node = new SimNode(id, this.env, undefined);
      this.nodes.set(id, node);
      node.start();
    }
  }

  /** Promotes a random learner of the leader's membership. */
  promote(): void {
    const learners = this.leaderConf()?.learners ?? [];
    if (learners.length > 0) {
      const node = learners[randomInt(this.rng, learners.length)]!;
      this.changeConf({ type: 'promote', node });
    }
  }

  /** Removes a random member, keeping at least three voters. */
  remove(): void {
    const conf = this.leaderConf();
    if (conf === undefined) {
      return;
    }
    const members = [...conf.learners];
    if (conf.voters.length > 3) {
      members.push(...conf.voters);
    }
    if (members.length > 0) {
      const node = members[randomInt(this.rng, members.length)]!;
      this.changeConf({ type: 'remove', node });
    }
  }

  /** Asks the leader to hand over to a random other voter. */
  transfer(): void {
    const leader = this.leader();
    const voters = leader?.raft!.status().conf.voters ?? [];
    const others = voters.filter((id) => id !== leader?.id);
    if (leader === undefined || others.length === 0) {
      return;
    }
    const to = others[randomInt(this.rng, others.length)]!;
    this.stats.transfers += 1;
    this.trace.line(this.queue.now, `transfer n${leader.id} -> n${to}`);
    leader.run('transfer', (raft) => {
      try {
        raft.transferLeadership(to);
      } catch (error) {
        this.refused('transfer', error);
      }
    });
  }

  private changeConf(change: ConfChange): boolean {
    const leader = this.leader();
    if (leader === undefined) {
      return false;
    }
    let isAccepted = false;
    leader.run('confChange', (raft) => {
      try {
        const { index } = raft.proposeConfChange(change);
        isAccepted = true;
        this.stats.confChanges += 1;
        this.trace.line(
          this.queue.now,
          `n${leader.id} proposes ${change.type} n${change.node} at ${index}`,
        );
      } catch (error) {
        this.refused(change.type, error);
      }
    });
    return isAccepted;
  }

  // an operator request the leader declines is expected, never a failure;
  // anything else the core throws is a bug
  private refused(what: string, error: unknown): void {
    if (!(error instanceof AspenError)) {
      throw error;
    }
    this.stats.confRefused += 1;
    this.trace.line(this.queue.now, `${what} refused: ${error.code}`);
  }
}
