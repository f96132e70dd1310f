import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { scaled } from './time-scale';
import { waitFor } from './wait-for';
import { LocalCluster } from '../../engine/cluster/local-cluster';
import type { RaftHostOptions } from '../../engine/node/raft-host';
import type { NodeId } from '../../engine/raft/types';
import type { Command } from '../../engine/state/commands';
import { encodeCommand, ENVELOPE_VERSION } from '../../engine/state/envelope';
import type { RetentionLimits } from '../../engine/state/events';
import { GroupsModule } from '../../engine/state/groups';
import { JobsModule, type JobsConfig } from '../../engine/state/jobs';
import { AspenStateMachine } from '../../engine/state/machine';
import type { StateEvent } from '../../engine/state/module';
import { isErrorResult } from '../../engine/state/results';
import { AspenError } from '../../engine/util/errors';

/** One node's replicated state, as its current incarnation holds it. */
export interface AspenNode {
  id: NodeId;
  machine: AspenStateMachine;
  jobs: JobsModule;
  groups: GroupsModule;
  /** Every event this incarnation applied, in apply order. */
  applied: StateEvent[];
}

/** Options of {@link startAspenCluster}. */
export interface AspenClusterOptions {
  seed?: number;
  /** Snapshot after this many applied entries. @defaultValue 10000 */
  snapshotEvery?: number;
  retention?: Partial<RetentionLimits>;
  jobs?: Partial<JobsConfig>;
  raft?: RaftHostOptions['raft'];
}

/** A real 3-node cluster (TCP + LevelDB) running the studio's machine. */
export interface AspenCluster {
  cluster: LocalCluster;
  /** The state of every node's current incarnation. */
  nodes: Map<NodeId, AspenNode>;
  /** A client with its own session (id + sequence). */
  client(name: string): SessionClient;
  /** Proposals its clients sent again after an unknown outcome. */
  retries(): number;
  waitForLeader(): Promise<NodeId>;
  /** The current leader's state, as it is (for polling, not verdicts). */
  leaderNode(): AspenNode | undefined;
  /** The leader's state after a linearizable read (ReadIndex). */
  readLeader(): Promise<AspenNode>;
  /** Waits until node `id` applied what the leader had committed. */
  waitCaughtUp(id: NodeId): Promise<void>;
  /** Registers a loop to stop before the cluster does (a failed test). */
  onCleanup(stop: () => Promise<void>): void;
  /** Stops the registered loops, then the cluster; deletes its data. */
  cleanup(): Promise<void>;
}

/** Starts a cluster whose nodes run jobs and groups, as the studio does. */
export async function startAspenCluster(
  options: AspenClusterOptions = {},
): Promise<AspenCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aspen-state-'));
  const nodes = new Map<NodeId, AspenNode>();
  const clients: SessionClient[] = [];
  const stoppers: (() => Promise<void>)[] = [];
  let isClosed = false;
  const cluster = await LocalCluster.start({
    dataDir,
    size: 3,
    seed: options.seed ?? 1,
    host: {
      // stretched with the Raft timeouts on slow machines (DESIGN §6)
      tickMs: scaled(30),
      snapshotEvery: options.snapshotEvery,
      raft: options.raft,
    },
    stateMachine: (id, { initialConf }) => {
      const jobs = new JobsModule(options.jobs);
      const groups = new GroupsModule();
      const machine = new AspenStateMachine({
        modules: { jobs, groups },
        retention: options.retention,
        initialConf,
      });
      const node: AspenNode = { id, machine, jobs, groups, applied: [] };
      machine.onApplied(({ events }) => node.applied.push(...events));
      nodes.set(id, node);
      return machine;
    },
  });

  const waitForLeader = () =>
    waitFor(() => cluster.leader(), {
      timeoutMs: scaled(15_000),
      what: 'a leader',
    });
  const aspen: AspenCluster = {
    cluster,
    nodes,
    client(name) {
      const client = new SessionClient(cluster, name, () => isClosed);
      clients.push(client);
      return client;
    },
    retries: () => clients.reduce((sum, c) => sum + c.retries, 0),
    waitForLeader,
    leaderNode() {
      const leader = cluster.leader();
      return leader === undefined ? undefined : nodes.get(leader);
    },
    async readLeader() {
      const host = await cluster.read(scaled(20_000));
      return nodes.get(host.id)!;
    },
    async waitCaughtUp(id) {
      // the commit index as the wait begins: under load the leader's keeps
      // moving, and a follower always trails it by a little
      let target: number | undefined;
      await waitFor(
        () => {
          const leader = aspen.leaderNode();
          target ??= leader && cluster.host(leader.id)?.status().commit;
          const applied = cluster.host(id)?.status().applied ?? -1;
          return target !== undefined && applied >= target;
        },
        { timeoutMs: scaled(20_000), what: `node ${id} to catch up` },
      );
    },
    onCleanup(stop) {
      stoppers.push(stop);
    },
    async cleanup() {
      await Promise.allSettled(stoppers.map((stop) => stop()));
      isClosed = true;
      await cluster.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  await waitForLeader();
  return aspen;
}

// the entry may or may not have committed, or no leader took it yet
const UNSETTLED = new Set(['OUTCOME_UNKNOWN', 'NO_LEADER']);

/**
 * Proposes commands under one client session (Raft thesis §6.3): each
 * command gets the next sequence number, and a retry after an unknown
 * outcome resends the very same bytes, so the state answers the first
 * result instead of applying it twice. The test is the proposer, so it
 * stamps cluster time itself, as a leader would.
 */
export class SessionClient {
  /** Proposals sent again after an unknown outcome. */
  retries = 0;
  private seq = 0;

  constructor(
    private readonly cluster: LocalCluster,
    readonly id: string,
    private readonly isClosed: () => boolean = () => false,
  ) {}

  /** Proposes `cmd` and resolves with what apply answered. */
  async propose(cmd: Command): Promise<unknown> {
    const data = encodeCommand({
      v: ENVELOPE_VERSION,
      time: Date.now(),
      random: 0,
      client: this.id,
      seq: ++this.seq,
      cmd,
    });
    const deadline = Date.now() + scaled(60_000);
    for (;;) {
      try {
        return await this.cluster.propose(data, scaled(10_000));
      } catch (error) {
        const code = error instanceof AspenError ? error.code : undefined;
        const isLate = Date.now() > deadline || this.isClosed();
        if (!UNSETTLED.has(code ?? '') || isLate) {
          throw error;
        }
        this.retries += 1;
      }
    }
  }

  /** Like {@link SessionClient.propose}, but a refusal throws its code. */
  async proposeOk<T>(cmd: Command): Promise<T> {
    const result = await this.propose(cmd);
    if (isErrorResult(result)) {
      throw new AspenError(result.error.code, result.error.message);
    }
    return result as T;
  }
}

/**
 * The leader's timer service, played by the test (the hooks dispatcher
 * holds the real one): after each leader change, once the new leader's
 * election entry has applied, it proposes `reclaim` for the leases of
 * earlier terms and `renew` for the group deadlines it inherits, so the
 * failover alone expires nothing; then it proposes `expire` for the
 * deadlines that passed, as DESIGN §3.3 has the leader do. Every one of
 * these is re-checked on apply, so a stale or repeated one is harmless.
 */
export class LeaderTimers {
  /** Terms whose reclaim and renew committed. */
  readonly terms: number[] = [];
  private handledTerm = 0;
  private isStopped = false;
  private failure: unknown;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly aspen: AspenCluster,
    private readonly intervalMs = 25,
  ) {}

  start(): void {
    this.loop = this.run();
    this.aspen.onCleanup(() => this.stop());
  }

  /** Stops; throws what broke the loop, if anything did. */
  async stop(): Promise<void> {
    this.isStopped = true;
    await this.loop;
    if (this.failure !== undefined) {
      throw this.failure;
    }
  }

  private async run(): Promise<void> {
    while (!this.isStopped) {
      try {
        await this.step();
      } catch (error) {
        // no leader, or an unknown outcome: look again on the next turn
        if (!(error instanceof AspenError)) {
          this.failure = error;
          return;
        }
      }
      await pause(this.intervalMs);
    }
  }

  private async step(): Promise<void> {
    const node = this.aspen.leaderNode();
    const term = node && this.aspen.cluster.host(node.id)?.status().term;
    if (node === undefined || term === undefined) {
      return;
    }
    if (term !== this.handledTerm) {
      if (node.machine.clusterInfo().term < term) {
        return;
      }
      await this.proposeOk({ t: 'jobs', cmd: { type: 'reclaim', term } });
      await this.proposeOk({ t: 'groups', cmd: { type: 'renew' } });
      this.handledTerm = term;
      this.terms.push(term);
      return;
    }

    const now = Date.now();
    const ids = node.machine
      .deadlines()
      .filter((deadline) => deadline.due <= now)
      .slice(0, 256)
      .map((deadline) => deadline.id);
    if (ids.length > 0) {
      await this.proposeOk({ t: 'expire', ids, now });
    }
  }

  // no session: each of these commands re-checks what it ends on apply
  private async proposeOk(cmd: Command): Promise<void> {
    const data = encodeCommand({
      v: ENVELOPE_VERSION,
      time: Date.now(),
      random: 0,
      cmd,
    });
    const result = await this.aspen.cluster.propose(data, scaled(5_000));
    if (isErrorResult(result)) {
      throw new Error(`${cmd.t} refused: ${result.error.message}`);
    }
  }
}

/** Resolves after `ms`: how a worker loop paces itself, never a wait. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Prints a figure for people reading the test output; never asserted. */
export function printFigure(line: string): void {
  process.stdout.write(`${line}\n`);
}
