import { randomFloat, randomInt, type Rng } from '../ports/rng';
import type { NodeId } from '../raft/types';

import type { EventQueue } from './event-queue';
import { NEMESIS_ROUND_MS, type FaultProfile } from './fault-profile';
import type { SimCluster } from './sim-cluster';
import { RELIABLE, type SimNetwork } from './sim-network';
import type { SimNode } from './sim-node';
import type { Trace } from './trace';

/** Counters of the faults injected, for the run's stats. */
export interface NemesisStats {
  partitions: number;
  cuts: number;
  crashesAfterVote: number;
  crashesAfterElection: number;
}

/**
 * Injects the faults of a {@link FaultProfile} during the fault phase:
 * crashes (some right after a vote, some with torn tails) and restarts,
 * partitions and one-way cuts, lossy links, membership churn and
 * leadership transfers. Everything is drawn from the run's Rng.
 */
export class Nemesis {
  readonly stats: NemesisStats = {
    partitions: 0,
    cuts: 0,
    crashesAfterVote: 0,
    crashesAfterElection: 0,
  };
  private isActive = false;
  private isSplit = false;

  constructor(
    private readonly queue: EventQueue,
    private readonly rng: Rng,
    private readonly trace: Trace,
    private readonly cluster: SimCluster,
    private readonly network: SimNetwork,
    private readonly profile: FaultProfile,
  ) {}

  /** Starts the fault phase. */
  start(): void {
    this.isActive = true;
    const { dropRate, duplicateRate, reorderRate } = this.profile;
    this.network.setFaults({ dropRate, duplicateRate, reorderRate });
    this.queue.schedule(NEMESIS_ROUND_MS, () => this.round());
  }

  /**
   * Ends the fault phase: the network heals and becomes reliable. Crashed
   * nodes are left for the caller to restart.
   */
  stop(): void {
    this.isActive = false;
    this.isSplit = false;
    this.network.heal();
    this.network.setFaults(RELIABLE);
    this.trace.line(this.queue.now, 'heal all faults');
  }

  /** Hook for a granted vote: maybe crash the voter before it persists. */
  afterVote(node: SimNode): void {
    if (
      !this.isActive ||
      randomFloat(this.rng) >= this.profile.crashAfterVoteRate
    ) {
      return;
    }
    if (!this.mayCrashAnother()) {
      return;
    }
    this.stats.crashesAfterVote += 1;
    // back within a few ms: soon enough to be asked again in the same term
    this.queue.schedule(randomInt(this.rng, 3), () =>
      this.crash(node, 1 + randomInt(this.rng, 10)),
    );
  }

  /**
   * Hook for a new leader: maybe crash it within a few ms, before its own
   * entry reaches a majority, so leaders change with half-replicated logs
   * (the shape of the paper's Figure 8).
   */
  afterElection(node: SimNode): void {
    const rate = this.profile.crashNewLeaderRate;
    if (!this.isActive || randomFloat(this.rng) >= rate) {
      return;
    }
    if (!this.mayCrashAnother()) {
      return;
    }
    this.stats.crashesAfterElection += 1;
    this.queue.schedule(randomInt(this.rng, 30), () => this.crash(node));
  }

  private round(): void {
    if (!this.isActive) {
      return;
    }
    const p = this.profile;
    const roll = () => randomFloat(this.rng);
    if (roll() < p.crashRate && this.mayCrashAnother()) {
      this.crashSomeone();
    }
    if (!this.isSplit && roll() < p.partitionRate) {
      this.partition();
    } else if (!this.isSplit && roll() < p.cutRate) {
      this.cut();
    }
    if (roll() < p.membershipRate) {
      const pick = randomInt(this.rng, 3);
      if (pick === 0) {
        this.cluster.addLearner();
      } else if (pick === 1) {
        this.cluster.promote();
      } else {
        this.cluster.remove();
      }
    }
    if (roll() < p.transferRate) {
      this.cluster.transfer();
    }
    this.queue.schedule(NEMESIS_ROUND_MS, () => this.round());
  }

  // keep a majority of the voters running, so the run makes progress
  private mayCrashAnother(): boolean {
    const voters = this.cluster.leaderConf()?.voters.length ?? 3;
    return this.cluster.down().length < Math.floor((voters - 1) / 2);
  }

  private crashSomeone(): void {
    const live = this.cluster.live();
    const leader = this.cluster.leader();
    const victim =
      leader !== undefined && randomInt(this.rng, 2) === 0
        ? leader
        : live[randomInt(this.rng, live.length)];
    if (victim !== undefined) {
      this.crash(victim);
    }
  }

  private crash(node: SimNode, downtime?: number): void {
    if (!node.isUp) {
      return;
    }
    const isTorn = randomFloat(this.rng) < this.profile.tornTailRate;
    this.cluster.crash(node, isTorn);
    const down =
      downtime ?? 10 + randomInt(this.rng, this.profile.maxDowntimeMs);
    this.queue.schedule(down, () => this.cluster.restart(node));
  }

  private partition(): void {
    const ids = [...this.cluster.nodes.keys()];
    const leader = this.cluster.leader();
    let side: NodeId[];
    if (leader !== undefined && randomInt(this.rng, 2) === 0) {
      // the leader with at most one other node: the majority moves on
      const other = ids[randomInt(this.rng, ids.length)]!;
      side = other === leader.id ? [leader.id] : [leader.id, other];
    } else {
      side = ids.filter(() => randomInt(this.rng, 2) === 0);
    }
    const rest = ids.filter((id) => !side.includes(id));
    this.network.partition([side, rest]);
    this.stats.partitions += 1;
    this.trace.line(
      this.queue.now,
      `partition [${side.join(',')}] | [${rest.join(',')}]`,
    );
    this.healLater();
  }

  private cut(): void {
    const ids = [...this.cluster.nodes.keys()];
    const from = ids[randomInt(this.rng, ids.length)]!;
    const to = ids[randomInt(this.rng, ids.length)]!;
    if (from === to) {
      return;
    }
    this.network.cut(from, to);
    this.stats.cuts += 1;
    this.trace.line(this.queue.now, `cut n${from} -> n${to}`);
    this.healLater();
  }

  private healLater(): void {
    this.isSplit = true;
    const duration = 50 + randomInt(this.rng, this.profile.maxPartitionMs);
    this.queue.schedule(duration, () => {
      if (this.isActive && this.isSplit) {
        this.isSplit = false;
        this.network.heal();
        this.trace.line(this.queue.now, 'heal network');
      }
    });
  }
}
