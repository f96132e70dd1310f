import { decodeConfChange, isNodeId } from './entry-codec';
import type { ConfChange, ConfState, Entry, NodeId } from './types';

/** An empty membership: a node that has not learned its cluster yet. */
export const EMPTY_CONF: ConfState = Object.freeze({
  voters: Object.freeze([]) as unknown as NodeId[],
  learners: Object.freeze([]) as unknown as NodeId[],
});

/**
 * The membership after `change`, or a string saying why the change makes
 * no sense. Single-server changes only (dissertation §4.1): each moves one
 * node, so any two consecutive voter sets share a majority.
 */
export function applyConfChange(
  conf: ConfState,
  change: ConfChange,
): ConfState | string {
  const { type, node } = change;
  if (!isNodeId(node)) {
    return `node id ${String(node)} is not a positive 32-bit integer`;
  }
  const isVoter = conf.voters.includes(node);
  const isLearner = conf.learners.includes(node);
  const voters = conf.voters.filter((id) => id !== node);
  const learners = conf.learners.filter((id) => id !== node);

  switch (type) {
    case 'addVoter':
      if (isVoter) {
        return `node ${node} is already a voter`;
      }
      return { voters: sorted([...voters, node]), learners };
    case 'promote':
      if (!isLearner) {
        return `node ${node} is not a learner`;
      }
      return { voters: sorted([...voters, node]), learners };
    case 'addLearner':
      if (isLearner) {
        return `node ${node} is already a learner`;
      }
      if (isVoter && voters.length === 0) {
        return `node ${node} is the last voter`;
      }
      return { voters, learners: sorted([...learners, node]) };
    case 'remove':
      if (!isVoter && !isLearner) {
        return `node ${node} is not a member`;
      }
      if (isVoter && voters.length === 0) {
        return `node ${node} is the last voter`;
      }
      return { voters, learners };
    default:
      return `unknown change type ${String(type)}`;
  }
}

/** Whether two memberships hold the same voters and learners. */
export function sameConf(a: ConfState, b: ConfState): boolean {
  return sameIds(a.voters, b.voters) && sameIds(a.learners, b.learners);
}

function sameIds(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function sorted(ids: NodeId[]): NodeId[] {
  return ids.sort((x, y) => x - y);
}

interface ConfPoint {
  index: number;
  conf: ConfState;
}

/**
 * The membership as a function of the log. A config entry takes effect as
 * soon as it is in the log (dissertation §4.1), so truncating the log can
 * undo one: this keeps every config entry after the base so it can.
 */
export class Membership {
  private base: ConfPoint;
  private readonly changes: ConfPoint[] = [];

  constructor(
    baseIndex: number,
    baseConf: ConfState,
    private readonly onInvalid: (entry: Entry, why: string) => void,
  ) {
    this.base = { index: baseIndex, conf: baseConf };
  }

  /** The membership in effect: the last config entry in the log wins. */
  get current(): ConfState {
    return (this.changes[this.changes.length - 1] ?? this.base).conf;
  }

  /** Index of the last config entry in the log (or of the base). */
  get lastChangeIndex(): number {
    return (this.changes[this.changes.length - 1] ?? this.base).index;
  }

  /** Whether this node knows any membership at all. */
  get isKnown(): boolean {
    const conf = this.current;
    return conf.voters.length > 0 || conf.learners.length > 0;
  }

  /** Whether `id` votes in the current membership. */
  isVoter(id: NodeId): boolean {
    return this.current.voters.includes(id);
  }

  /** The membership as of `index` (at or after the base). */
  confAt(index: number): ConfState | undefined {
    if (index < this.base.index) {
      return undefined;
    }
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const point = this.changes[i]!;
      if (point.index <= index) {
        return point.conf;
      }
    }
    return this.base.conf;
  }

  /** Takes in the config entries among freshly appended `entries`. */
  onAppend(entries: readonly Entry[]): void {
    for (const entry of entries) {
      if (entry.type !== 'config') {
        continue;
      }
      const change = decodeConfChange(entry.data);
      if (change === undefined) {
        this.onInvalid(entry, 'undecodable change');
        continue;
      }
      const next = applyConfChange(this.current, change);
      if (typeof next === 'string') {
        this.onInvalid(entry, next);
        continue;
      }
      this.changes.push({ index: entry.index, conf: next });
    }
  }

  /** Forgets config entries at or above `index` (the log was truncated). */
  truncateFrom(index: number): void {
    while (this.lastChangeIndex >= index && this.changes.length > 0) {
      this.changes.pop();
    }
  }

  /** Folds config entries at or below `index` into the base. */
  compactTo(index: number): void {
    const conf = this.confAt(index);
    if (conf === undefined) {
      return;
    }
    let drop = 0;
    while (drop < this.changes.length && this.changes[drop]!.index <= index) {
      drop += 1;
    }
    this.changes.splice(0, drop);
    this.base = { index, conf };
  }

  /** Starts over from a snapshot's membership. */
  reset(index: number, conf: ConfState): void {
    this.changes.length = 0;
    this.base = { index, conf };
  }
}
