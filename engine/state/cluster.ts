import { errorResult, type CommandResult } from './results';
import { decodeConfChange, decodeLeaderData } from '../raft/entry-codec';
import { applyConfChange } from '../raft/membership';
import type { ConfChange, ConfState, Entry, NodeId } from '../raft/types';

/**
 * Cluster facts the log carries: who leads (from `leader` entries) and the
 * membership (from `config` entries), each turned into production's event
 * (reference §2.3). The state keeps its own copy of the membership, as of
 * the last applied entry, so the payloads can list voters and learners.
 *
 * @packageDocumentation
 */

/** Topics of cluster events (production's). */
export const CLUSTER_TOPICS = {
  leader: 'hooks.cluster.leader_elected',
  membership: 'hooks.cluster.membership_changed',
} as const;

/** Production's `change_type` names for each kind of change. */
export const CHANGE_TYPES: Record<ConfChange['type'], string> = {
  addVoter: 'added_voter',
  addLearner: 'added_learner',
  promote: 'promoted',
  remove: 'removed',
};

/** The cluster part of a snapshot: `[leader, term, voters, learners]`. */
export type ClusterImage = [NodeId, number, NodeId[], NodeId[]];

/** Leader and membership as of the last applied entry. */
export class ClusterState {
  /** The leader of the latest `leader` entry, 0 before any. */
  leader: NodeId = 0;
  /** Term of that entry. */
  term = 0;
  conf: ConfState;

  constructor(private readonly initialConf: ConfState) {
    this.conf = copyConf(initialConf);
  }

  /** Takes in a `leader` entry; emits `leader_elected`. */
  applyLeader(
    entry: Entry,
    emit: (topic: string, payload: unknown) => void,
  ): CommandResult {
    const id = decodeLeaderData(entry.data);
    if (id === 0) {
      const why = `leader entry ${entry.index} does not hold a node id`;
      return errorResult('BAD_ENTRY', why);
    }
    const previous = this.leader;
    this.leader = id;
    this.term = entry.term;
    emit(CLUSTER_TOPICS.leader, {
      new_leader_id: id,
      ...(previous === 0 ? {} : { previous_leader_id: previous }),
      term: entry.term,
      voters: [...this.conf.voters],
      learners: [...this.conf.learners],
    });
    return { ok: true };
  }

  /** Takes in a `config` entry; emits `membership_changed`. */
  applyConfig(
    entry: Entry,
    emit: (topic: string, payload: unknown) => void,
  ): CommandResult {
    const change = decodeConfChange(entry.data);
    if (change === undefined) {
      const why = `config entry ${entry.index} does not hold a change`;
      return errorResult('BAD_ENTRY', why);
    }
    // the core refuses the same changes when appending, so this only
    // happens with a log written by something else
    const next = applyConfChange(this.conf, change);
    if (typeof next === 'string') {
      return errorResult('INVALID_CONF_CHANGE', next);
    }
    this.conf = copyConf(next);
    emit(CLUSTER_TOPICS.membership, {
      voters: [...next.voters],
      learners: [...next.learners],
      affected_node: change.node,
      change_type: CHANGE_TYPES[change.type],
    });
    return { ok: true };
  }

  snapshot(): ClusterImage {
    const { voters, learners } = this.conf;
    return [this.leader, this.term, [...voters], [...learners]];
  }

  restore(image: ClusterImage | undefined): void {
    if (image === undefined) {
      this.leader = 0;
      this.term = 0;
      this.conf = copyConf(this.initialConf);
      return;
    }
    const [leader, term, voters, learners] = image;
    this.leader = leader;
    this.term = term;
    this.conf = { voters: [...voters], learners: [...learners] };
  }
}

function copyConf(conf: ConfState): ConfState {
  return { voters: [...conf.voters], learners: [...conf.learners] };
}
