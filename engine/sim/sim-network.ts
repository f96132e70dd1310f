import { randomFloat, randomInt, type Rng } from '../ports/rng';
import type { Message, NodeId } from '../raft/types';
import { copyEntry } from '../storage/batch';

import type { EventQueue } from './event-queue';

/** How unreliable the simulated network is; all rates are per message. */
export interface LinkFaults {
  /** Chance that a message is lost. */
  dropRate: number;
  /** Chance that a message is delivered twice. */
  duplicateRate: number;
  /** Chance that a message is held back long enough to be overtaken. */
  reorderRate: number;
}

/** A network that loses, repeats and reorders nothing. */
export const RELIABLE: LinkFaults = {
  dropRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
};

/** Counters of what the network did, for the run's stats. */
export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  blocked: number;
}

/**
 * The simulated network between nodes. Each directed link gets its own base
 * delay of 1–10 ms drawn from the seeded Rng; messages on it take that plus
 * a little jitter, and with the fault rates are dropped, duplicated or held
 * back. Partitions are two-way, cuts one-way; both are checked when a
 * message arrives, so a partition also loses what was in flight.
 */
export class SimNetwork {
  private faults: LinkFaults = RELIABLE;
  private readonly linkDelay = new Map<string, number>();
  private readonly cuts = new Set<string>();
  private groupOf = new Map<NodeId, number>();
  readonly stats: NetworkStats = {
    sent: 0,
    delivered: 0,
    dropped: 0,
    duplicated: 0,
    blocked: 0,
  };

  constructor(
    private readonly queue: EventQueue,
    private readonly rng: Rng,
    private readonly deliver: (message: Message) => void,
  ) {}

  /** Replaces the fault rates (use {@link RELIABLE} to heal them). */
  setFaults(faults: LinkFaults): void {
    this.faults = faults;
  }

  /**
   * Splits the nodes into groups that cannot reach each other. A node in
   * no group can reach no one.
   */
  partition(groups: readonly (readonly NodeId[])[]): void {
    this.groupOf = new Map();
    groups.forEach((group, index) => {
      for (const id of group) {
        this.groupOf.set(id, index);
      }
    });
  }

  /** Stops messages from `from` to `to` (the other direction still works). */
  cut(from: NodeId, to: NodeId): void {
    this.cuts.add(linkKey(from, to));
  }

  /** Removes every partition and cut, keeping the fault rates. */
  heal(): void {
    this.groupOf = new Map();
    this.cuts.clear();
  }

  /** Whether a message from `from` to `to` would be blocked right now. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    if (this.cuts.has(linkKey(from, to))) {
      return true;
    }
    if (this.groupOf.size === 0) {
      return false;
    }
    const a = this.groupOf.get(from);
    return a === undefined || a !== this.groupOf.get(to);
  }

  /** Puts `messages` on the wire, each copied as a real transport would. */
  send(messages: readonly Message[]): void {
    for (const message of messages) {
      this.sendOne(message);
    }
  }

  private sendOne(message: Message): void {
    this.stats.sent += 1;
    if (randomFloat(this.rng) < this.faults.dropRate) {
      this.stats.dropped += 1;
      return;
    }
    this.schedule(message);
    if (randomFloat(this.rng) < this.faults.duplicateRate) {
      this.stats.duplicated += 1;
      this.schedule(message);
    }
  }

  private schedule(message: Message): void {
    const copy = copyMessage(message);
    let delay =
      this.baseDelay(message.from, message.to) + randomInt(this.rng, 3);
    if (randomFloat(this.rng) < this.faults.reorderRate) {
      delay += 5 + randomInt(this.rng, 40);
    }
    this.queue.schedule(delay, () => {
      if (this.isBlocked(copy.from, copy.to)) {
        this.stats.blocked += 1;
        return;
      }
      this.stats.delivered += 1;
      this.deliver(copy);
    });
  }

  private baseDelay(from: NodeId, to: NodeId): number {
    const key = linkKey(from, to);
    let delay = this.linkDelay.get(key);
    if (delay === undefined) {
      delay = 1 + randomInt(this.rng, 10);
      this.linkDelay.set(key, delay);
    }
    return delay;
  }
}

function linkKey(from: NodeId, to: NodeId): string {
  return `${from}>${to}`;
}

/** A copy of `message` that shares no memory with the sender's log. */
export function copyMessage(message: Message): Message {
  const copy: Message = { ...message, entries: message.entries.map(copyEntry) };
  const chunk = message.snapshot;
  if (chunk !== undefined) {
    copy.snapshot = {
      meta: {
        index: chunk.meta.index,
        term: chunk.meta.term,
        conf: {
          voters: [...chunk.meta.conf.voters],
          learners: [...chunk.meta.conf.learners],
        },
      },
      offset: chunk.offset,
      total: chunk.total,
      data: new Uint8Array(chunk.data),
    };
  }
  return copy;
}
