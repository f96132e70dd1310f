import type { Verdict } from '../check/linearizability';
import { randomInt, SeededRng } from '../ports/rng';
import type { TestingBugs } from '../raft/raft-node';
import type { NodeId } from '../raft/types';

import { Barrier } from './barrier';
import { ClusterChecks } from './cluster-checks';
import { EventQueue } from './event-queue';
import type { FaultMix } from './fault-profile';
import {
  checkHistory,
  convergenceGap,
  finalState,
  members,
} from './final-checks';
import { checkFinalState } from './invariants/final-state';
import { Nemesis } from './nemesis';
import { SimCluster } from './sim-cluster';
import { SimNetwork } from './sim-network';
import type { SimNode } from './sim-node';
import { drawSetup, TICK_MS } from './sim-setup';
import { Trace } from './trace';
import { Workload } from './workload';

/** Options of {@link runSimulation}. */
export interface SimulationOptions {
  /** Decides everything about the run. */
  seed: number;
  /** Events to run in the fault phase (ticks, deliveries, fsyncs, ...). */
  steps: number;
  /** Fault mix; by default the one suiting `testingBugs`, else `mixed`. */
  faults?: FaultMix;
  /** Mutations to switch on in every node's core (harness self-test). */
  testingBugs?: TestingBugs;
  /**
   * Check the protocol's steps too (durable before reply, the commit rule,
   * acknowledged entries kept); off, only the end-to-end invariants run.
   * @defaultValue true
   */
  protocolChecks?: boolean;
  /**
   * Return the whole trace, not only the tail on failure.
   * @defaultValue false
   */
  keepTrace?: boolean;
  /**
   * Search steps the linearizability checker may take; a fixed budget
   * keeps its verdict the same on every machine.
   * @defaultValue 2000000
   */
  lincheckSteps?: number;
}

/** Counters of one run. */
export interface SimulationStats {
  events: number;
  virtualMs: number;
  clusterSize: number;
  mix: FaultMix;
  /** Distinct terms that had a leader. */
  leaders: number;
  highestCommit: number;
  crashes: number;
  /** Crashes the nemesis placed right after a granted vote. */
  crashesAfterVote: number;
  partitions: number;
  cuts: number;
  confChanges: number;
  transfers: number;
  snapshotsTaken: number;
  snapshotsInstalled: number;
  messages: number;
  ops: number;
  opsOk: number;
  opsUnknown: number;
  readIndexReads: number;
  logReads: number;
  retries: number;
  lincheck: Verdict | 'skipped';
  lincheckSteps: number;
}

/** The outcome of {@link runSimulation}. */
export interface SimulationResult {
  ok: boolean;
  seed: number;
  steps: number;
  /** FNV-1a over the full trace: equal for two runs of one seed. */
  traceHash: string;
  failures: string[];
  stats: SimulationStats;
  /** The last trace lines on failure, or all of them with `keepTrace`. */
  trace?: string[];
}

/** Virtual ms the healed cluster gets to elect a leader and settle. */
const SETTLE_MS = 10_000;
/** Virtual ms it then gets to apply everything everywhere. */
const CONVERGE_MS = 20_000;

/**
 * Runs one deterministic simulation of a Raft cluster: a fault phase of
 * `steps` events under the nemesis with clients writing and reading and
 * every invariant checked as it changes, then a liveness phase that heals
 * everything, demands a leader and full convergence, checks the whole
 * state and feeds the client history to the linearizability checker.
 * Everything derives from `seed`: the same seed gives the same trace hash.
 */
export function runSimulation(options: SimulationOptions): SimulationResult {
  const rng = new SeededRng(options.seed);
  const setup = drawSetup(rng, options.testingBugs, options.faults);
  const queue = new EventQueue();
  const trace = new Trace({ keepAll: options.keepTrace });
  const nodes = new Map<NodeId, SimNode>();
  const checks = new ClusterChecks(
    trace,
    () => queue.now,
    nodes,
    options.protocolChecks ?? true,
  );
  const network = new SimNetwork(queue, new SeededRng(rng.nextUint32()), (m) =>
    nodes.get(m.to)?.deliver(m),
  );
  const [fsyncMin, fsyncMax] = setup.faults.fsyncMs;
  const nodeRng = new SeededRng(rng.nextUint32());
  const cluster = new SimCluster(
    {
      queue,
      network,
      observer: checks,
      rng: nodeRng,
      tickMs: TICK_MS,
      fsyncDelay: () => fsyncMin + randomInt(nodeRng, fsyncMax - fsyncMin + 1),
      snapshotEvery: setup.snapshotEvery,
      raft: setup.raft,
    },
    trace,
    new SeededRng(rng.nextUint32()),
    setup.clusterSize,
    nodes,
  );
  const clientRng = new SeededRng(rng.nextUint32());
  const workload = new Workload(
    queue,
    new SeededRng(rng.nextUint32()),
    trace,
    () => cluster.pickTarget(clientRng),
    setup.workload,
  );
  const nemesis = new Nemesis(
    queue,
    new SeededRng(rng.nextUint32()),
    trace,
    cluster,
    network,
    setup.faults,
  );
  checks.onVoteGranted = (node) => nemesis.afterVote(node);
  checks.onElected = (node) => nemesis.afterElection(node);

  trace.line(
    0,
    `seed ${options.seed}: ${setup.clusterSize} voters, mix ${setup.mix}, ` +
      `${JSON.stringify(setup.raft)}`,
  );
  let events = 0;
  const runUntil = (isDone: () => boolean, until: number): boolean => {
    while (checks.failures.length === 0) {
      if (isDone()) {
        return true;
      }
      const at = queue.peekTime();
      if (at === undefined || at > until) {
        return false;
      }
      const event = queue.pop()!;
      events += 1;
      trace.mix(event.seq);
      try {
        event.run();
      } catch (error) {
        const text = error instanceof Error ? error.stack : String(error);
        checks.fail(`uncaught in event ${event.seq}: ${text}`);
      }
    }
    return false;
  };

  // fault phase
  cluster.start();
  workload.start();
  nemesis.start();
  runUntil(() => events >= options.steps, Infinity);

  // liveness phase: heal, restart, stop the clients, demand a leader
  nemesis.stop();
  workload.stop();
  for (const node of cluster.down()) {
    cluster.restart(node);
  }
  const settled = runUntil(
    () => cluster.leader() !== undefined && workload.outstanding === 0,
    queue.now + SETTLE_MS,
  );
  if (!settled && checks.failures.length === 0) {
    checks.fail(`liveness: no leader ${SETTLE_MS} ms after healing`);
  }
  const barrier = new Barrier(cluster, queue);
  const converged = runUntil(
    () => barrier.isApplied() && convergenceGap(cluster) === undefined,
    queue.now + CONVERGE_MS,
  );
  if (!converged && checks.failures.length === 0) {
    checks.fail(`liveness: no convergence: ${convergenceGap(cluster)}`);
  }

  let lincheck: Verdict | 'skipped' = 'skipped';
  let lincheckSteps = 0;
  if (checks.failures.length === 0) {
    const report = (message: string) => checks.fail(message);
    checkFinalState(finalState(cluster, workload), checks.committed, report);
    const verdict = checkHistory(
      checks,
      workload,
      options.lincheckSteps ?? 2_000_000,
      600_000,
    );
    lincheck = verdict.verdict;
    lincheckSteps = verdict.steps;
  }
  trace.line(
    queue.now,
    `end: ${members(cluster).length} members, commit ` +
      `${checks.committed.highestIndex}`,
  );

  const ok = checks.failures.length === 0;
  const result: SimulationResult = {
    ok,
    seed: options.seed,
    steps: options.steps,
    traceHash: trace.digest(),
    failures: checks.failures.slice(),
    stats: {
      events,
      virtualMs: queue.now,
      clusterSize: setup.clusterSize,
      mix: setup.mix,
      leaders: checks.elections.count,
      highestCommit: checks.committed.highestIndex,
      crashes: cluster.stats.crashes,
      crashesAfterVote: nemesis.stats.crashesAfterVote,
      partitions: nemesis.stats.partitions,
      cuts: nemesis.stats.cuts,
      confChanges: cluster.stats.confChanges,
      transfers: cluster.stats.transfers,
      snapshotsTaken: checks.snapshots.taken,
      snapshotsInstalled: checks.snapshots.installed,
      messages: network.stats.sent,
      ops: workload.stats.calls,
      opsOk: workload.stats.ok,
      opsUnknown: workload.stats.unknown,
      readIndexReads: workload.stats.readIndexReads,
      logReads: workload.stats.logReads,
      retries: workload.stats.retries,
      lincheck,
      lincheckSteps,
    },
  };
  if (options.keepTrace) {
    result.trace = trace.allLines();
  } else if (!ok) {
    result.trace = trace.lastLines();
  }
  return result;
}
