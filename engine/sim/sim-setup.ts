import { randomFloat, randomInt, type Rng } from '../ports/rng';
import type { RaftConfig, TestingBugs } from '../raft/raft-node';

import {
  faultProfile,
  type FaultMix,
  type FaultProfile,
} from './fault-profile';
import type { WorkloadOptions } from './workload';

/** Everything about a run that its seed decides up front. */
export interface SimSetup {
  /** Voters the cluster starts with. */
  clusterSize: number;
  /** Core settings other than id, rng and membership. */
  raft: Omit<RaftConfig, 'id' | 'rng' | 'initialConf'>;
  /** Snapshot every this many applied entries. */
  snapshotEvery: number;
  workload: WorkloadOptions;
  faults: FaultProfile;
  mix: FaultMix;
}

/** Virtual ms per Raft tick. */
export const TICK_MS = 10;

/** The fault mix that makes each mutation most likely to show. */
export const MIX_FOR_BUG: Record<keyof TestingBugs, FaultMix> = {
  commitOldTermByCount: 'elections',
  voteBeforeDurable: 'votes',
  truncateOnStaleAppend: 'appends',
};

function choose<T>(rng: Rng, options: readonly T[]): T {
  return options[randomInt(rng, options.length)]!;
}

/**
 * Draws a run's shape from `rng`, as openraft's turmoil tests do: cluster
 * size, core tuning (tiny messages and in-flight windows split appends
 * into many messages; tiny chunks split snapshots), snapshot frequency,
 * workload and fault mix. `mix` defaults to the one suiting the enabled
 * mutation, or `mixed`.
 */
export function drawSetup(
  rng: Rng,
  testingBugs: TestingBugs | undefined,
  mix: FaultMix | undefined,
): SimSetup {
  const bug = (Object.keys(testingBugs ?? {}) as (keyof TestingBugs)[]).find(
    (name) => testingBugs?.[name] === true,
  );
  const chosenMix = mix ?? (bug ? MIX_FOR_BUG[bug] : 'mixed');
  const setup: SimSetup = {
    clusterSize: randomFloat(rng) < 0.6 ? 3 : 5,
    raft: {
      electionTicks: 10,
      heartbeatTicks: 1 + randomInt(rng, 3),
      preVote: randomFloat(rng) < 0.85,
      checkQuorum: randomFloat(rng) < 0.85,
      maxInflightMsgs: choose(rng, [1, 4, 64]),
      maxSizePerMsg: choose(rng, [1, 100, 4096]),
      snapshotChunkBytes: choose(rng, [16, 128, 1 << 20]),
      compactionTrailingEntries: choose(rng, [0, 5, 50]),
      testingBugs,
    },
    snapshotEvery: choose(rng, [20, 50, 200]),
    workload: {
      keys: 2 + randomInt(rng, 3),
      clientsPerKey: 2 + randomInt(rng, 2),
    },
    faults: faultProfile(chosenMix, rng),
    mix: chosenMix,
  };
  if (chosenMix === 'elections') {
    // one entry per append, one append in flight: a new leader's first
    // acks can cover an old-term entry without its own (Figure 8)
    setup.raft.maxSizePerMsg = 1;
    setup.raft.maxInflightMsgs = 1;
  }
  return setup;
}
