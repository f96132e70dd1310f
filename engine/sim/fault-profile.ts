import { randomFloat, randomInt, type Rng } from '../ports/rng';

/**
 * How hard the nemesis hits one run. Rates are chances per nemesis round
 * (every {@link NEMESIS_ROUND_MS} of virtual time) unless said otherwise.
 */
export interface FaultProfile {
  /** Crash a random node (or, half the time, the leader). */
  crashRate: number;
  /** Chance that a node crashes within a few ms of granting a vote. */
  crashAfterVoteRate: number;
  /** Chance that a new leader crashes within a few ms of winning. */
  crashNewLeaderRate: number;
  /** Chance that a crash keeps a torn prefix of the first unsynced write. */
  tornTailRate: number;
  /** Longest a crashed node stays down, ms. */
  maxDowntimeMs: number;
  /** Split the cluster in two (isolating the leader half the time). */
  partitionRate: number;
  /** Cut one direction of one link. */
  cutRate: number;
  /** Longest a partition or cut lasts, ms. */
  maxPartitionMs: number;
  /** Per-message chance of loss while the run is in its fault phase. */
  dropRate: number;
  /** Per-message chance of a duplicate. */
  duplicateRate: number;
  /** Per-message chance of a long delay that lets others overtake it. */
  reorderRate: number;
  /** Add a learner, promote one or remove a node. */
  membershipRate: number;
  /** Ask the leader to hand over to another voter. */
  transferRate: number;
  /** Range of the virtual fsync delay, ms. */
  fsyncMs: [number, number];
}

/** Virtual ms between two nemesis rounds. */
export const NEMESIS_ROUND_MS = 100;

/** The named fault mixes; `mixed` draws its intensities from the seed. */
export type FaultMix = 'none' | 'mixed' | 'elections' | 'votes' | 'appends';

/** A run with no faults at all (a liveness baseline). */
const NONE: FaultProfile = {
  crashRate: 0,
  crashAfterVoteRate: 0,
  crashNewLeaderRate: 0,
  tornTailRate: 0,
  maxDowntimeMs: 0,
  partitionRate: 0,
  cutRate: 0,
  maxPartitionMs: 0,
  dropRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
  membershipRate: 0,
  transferRate: 0,
  fsyncMs: [1, 3],
};

/**
 * The fault profile for `mix`, drawing what the mix leaves open from
 * `rng`. The targeted mixes each make one family of known bugs likely
 * (reference/raft.md §2): frequent leader changes under partitions for the
 * Figure 8 commit rule, crashes right after votes for undurable votes, and
 * duplicated or reordered appends for stale-append truncation.
 */
export function faultProfile(mix: FaultMix, rng: Rng): FaultProfile {
  const pick = (lo: number, hi: number) => lo + randomFloat(rng) * (hi - lo);
  switch (mix) {
    case 'none':
      return { ...NONE };
    case 'mixed':
      return {
        crashRate: pick(0, 0.12),
        crashAfterVoteRate: pick(0, 0.2),
        crashNewLeaderRate: pick(0, 0.2),
        tornTailRate: pick(0, 1),
        maxDowntimeMs: 100 + randomInt(rng, 900),
        partitionRate: pick(0, 0.12),
        cutRate: pick(0, 0.06),
        maxPartitionMs: 200 + randomInt(rng, 1300),
        dropRate: pick(0, 0.05),
        duplicateRate: pick(0, 0.05),
        reorderRate: pick(0, 0.1),
        membershipRate: pick(0, 0.08),
        transferRate: pick(0, 0.05),
        fsyncMs: [1, 2 + randomInt(rng, 10)],
      };
    case 'elections':
      return {
        ...NONE,
        crashRate: 0.05,
        crashNewLeaderRate: 0.5,
        tornTailRate: 0.5,
        maxDowntimeMs: 200,
        partitionRate: 0.1,
        cutRate: 0.05,
        maxPartitionMs: 400,
        dropRate: 0.02,
        reorderRate: 0.05,
        transferRate: 0.05,
        fsyncMs: [1, 6],
      };
    case 'votes':
      return {
        ...NONE,
        crashRate: 0.1,
        crashAfterVoteRate: 0.6,
        maxDowntimeMs: 150,
        partitionRate: 0.1,
        maxPartitionMs: 400,
        dropRate: 0.02,
        fsyncMs: [2, 12],
      };
    case 'appends':
      return {
        ...NONE,
        crashRate: 0.03,
        maxDowntimeMs: 300,
        partitionRate: 0.05,
        maxPartitionMs: 400,
        dropRate: 0.03,
        duplicateRate: 0.15,
        reorderRate: 0.2,
        fsyncMs: [1, 4],
      };
  }
}
