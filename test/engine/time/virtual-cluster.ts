import { RaftHost } from '../../../engine/node/raft-host';
import { SeededRng } from '../../../engine/ports/rng';
import type { Role } from '../../../engine/raft/raft-node';
import type { NodeId } from '../../../engine/raft/types';
import { MemoryStorage } from '../../../engine/storage/memory-storage';
import { TimeControl } from '../../../engine/time/time-control';
import { FaultPlan } from '../../../engine/transport/fault-plan';
import { MemoryNetwork } from '../../../engine/transport/memory-network';
import { putCommand, TestKvMachine } from '../../support/test-kv-machine';
import { VirtualClock } from '../../support/virtual-clock';

/** Cluster ms per tick of the virtual cluster. */
export const TICK_MS = 10;

/** One-way link delay (cluster ms) on every link. */
export const LINK_DELAY_MS = 2;

/** A role change, stamped with the Raft clock. */
export interface RoleChange {
  node: NodeId;
  role: Role;
  term: number;
  at: number;
}

/**
 * Three real {@link RaftHost}s wired as a {@link LocalCluster} wires them
 * (ticks on the Raft clock, frames through the hold, link delays through
 * the fault plan) but over memory storage, a memory network and a virtual
 * real-time source, so a test decides how much real time passes.
 */
export class VirtualCluster {
  readonly source = new VirtualClock();
  readonly faults = new FaultPlan();
  readonly time: TimeControl;
  readonly hosts = new Map<NodeId, RaftHost>();
  readonly roles: RoleChange[] = [];
  private nextKey = 0;

  private constructor(private readonly seed: number) {
    this.time = new TimeControl({
      source: this.source,
      faults: this.faults,
      jobTime: 0,
    });
    for (const from of [1, 2, 3]) {
      for (const to of [1, 2, 3]) {
        if (from !== to) {
          this.faults.setLink(from, to, { delayMs: LINK_DELAY_MS });
        }
      }
    }
  }

  /** Starts three voters and runs until one of them leads. */
  static async start(seed: number): Promise<VirtualCluster> {
    const cluster = new VirtualCluster(seed);
    const network = new MemoryNetwork({
      clock: cluster.source,
      rng: new SeededRng(seed),
      faults: cluster.faults,
    });
    for (const id of [1, 2, 3]) {
      const host = await RaftHost.start({
        id,
        storage: new MemoryStorage(),
        transport: cluster.time.frames.wrap(network.join(id)),
        stateMachine: new TestKvMachine(),
        clock: cluster.time.raftClock,
        rng: new SeededRng(cluster.seed * 10 + id),
        tickMs: TICK_MS,
        initialConf: { voters: [1, 2, 3], learners: [] },
      });
      host.subscribe((event) => {
        if (event.type === 'role') {
          const { node, role, term } = event;
          const at = cluster.time.raftClock.now();
          cluster.roles.push({ node, role, term, at });
        }
      });
      cluster.hosts.set(id, host);
    }
    await cluster.runUntil(() => cluster.isSettled(), 5_000);
    return cluster;
  }

  /** The node leading in the highest term, if any. */
  leader(): NodeId | undefined {
    let best: { id: NodeId; term: number } | undefined;
    for (const host of this.hosts.values()) {
      const { role, term, id } = host.status();
      if (role === 'leader' && (best === undefined || term > best.term)) {
        best = { id, term };
      }
    }
    return best?.id;
  }

  /** True once a leader leads and every node follows it. */
  isSettled(): boolean {
    const leader = this.leader();
    return (
      leader !== undefined &&
      [...this.hosts.values()].every((h) => h.status().leader === leader)
    );
  }

  /** The highest term any node is in. */
  term(): number {
    return Math.max(...[...this.hosts.values()].map((h) => h.status().term));
  }

  /**
   * Lets real time pass until `clusterMs` of Raft time went by, in slices
   * of about one cluster ms, letting the nodes work between slices. While
   * paused, lets `clusterMs` of real time pass instead.
   */
  async run(clusterMs: number): Promise<void> {
    const clock = this.time.raftClock;
    if (clock.isPaused) {
      await this.passReal(clusterMs);
      return;
    }
    const until = clock.now() + clusterMs;
    while (clock.now() < until) {
      await this.slice();
    }
  }

  /** Runs until `check` holds; fails after `clusterMs` of Raft time. */
  async runUntil(check: () => boolean, clusterMs: number): Promise<void> {
    const clock = this.time.raftClock;
    const until = clock.now() + clusterMs;
    while (!check()) {
      if (clock.now() > until) {
        throw new Error(`not reached in ${clusterMs} cluster ms`);
      }
      await this.slice();
    }
  }

  /** Lets `realMs` of real time pass in a few slices. */
  async passReal(realMs: number): Promise<void> {
    const slices = 20;
    for (let i = 0; i < slices; i++) {
      this.source.advance(realMs / slices);
      await settle();
    }
  }

  /** Proposes one write through the leader and runs until it applies. */
  async write(): Promise<void> {
    const leader = this.hosts.get(this.leader() ?? 0);
    if (leader === undefined) {
      throw new Error('no leader to write through');
    }
    let isDone = false;
    const key = `k${this.nextKey++}`;
    void leader.propose(putCommand(key, key)).then(() => (isDone = true));
    await this.runUntil(() => isDone, 2_000);
  }

  /** Crashes node `id`. */
  async kill(id: NodeId): Promise<void> {
    await this.hosts.get(id)?.kill();
    this.hosts.delete(id);
  }

  /** Lets the nodes finish what the last step or slice started. */
  settle(): Promise<void> {
    return settle();
  }

  /** Stops every node and both clocks. */
  async dispose(): Promise<void> {
    this.time.resume();
    await Promise.all([...this.hosts.values()].map((host) => host.kill()));
    this.time.dispose();
  }

  private async slice(): Promise<void> {
    this.source.advance(1 / this.time.raftClock.scale);
    await settle();
  }
}

// RaftHost handles readies in setImmediate callbacks with storage awaits
// in between; a few turns of the loop let one round of work finish
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
