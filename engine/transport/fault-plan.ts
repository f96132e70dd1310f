import type { LinkFault } from '../ports/transport';
import { randomFloat, type Rng } from '../ports/rng';
import type { NodeId } from '../raft/types';

import { InvalidFaultError } from './errors';

/** What happens to one message on its link, decided when it is sent. */
export interface LinkDecision {
  /** False: the message is lost (a cut, a partition or a random drop). */
  deliver: boolean;
  /** 2 when the message is duplicated. */
  copies: 1 | 2;
  /** Delay before delivery, already multiplied by the delay scale. */
  delayMs: number;
  /** True: the message waits until a later one on the link has gone. */
  holdBack: boolean;
}

/** A directed link and its faults. */
export interface LinkFaultState {
  from: NodeId;
  to: NodeId;
  fault: LinkFault;
}

/** Every fault currently set, as {@link FaultPlan.state} returns it. */
export interface FaultPlanState {
  /** Groups that cannot reach each other; empty when not partitioned. */
  partition: NodeId[][];
  /** One-way cuts. */
  cuts: { from: NodeId; to: NodeId }[];
  /** Per-link faults. */
  links: LinkFaultState[];
  /** Multiplier applied to every link delay. */
  delayScale: number;
}

const DROP: Readonly<LinkDecision> = Object.freeze({
  deliver: false,
  copies: 1,
  delayMs: 0,
  holdBack: false,
});

const PASS: Readonly<LinkDecision> = Object.freeze({
  deliver: true,
  copies: 1,
  delayMs: 0,
  holdBack: false,
});

/**
 * The network faults of one cluster, shared by all of its transports. Every
 * message is checked against it when sent, so a change applies to the next
 * message on every node at once; messages already in flight are not
 * recalled. The plan draws no randomness of its own: each transport passes
 * its injected {@link Rng} to {@link FaultPlan.decide}.
 */
export class FaultPlan {
  private readonly groupOf = new Map<NodeId, number>();
  private groups: NodeId[][] = [];
  private readonly cuts = new Map<NodeId, Set<NodeId>>();
  private readonly links = new Map<NodeId, Map<NodeId, LinkFault>>();
  private scale = 1;
  private readonly listeners = new Set<() => void>();

  /**
   * Multiplies every link delay (default 1). Slowing the cluster's clock
   * down stretches link delays with it. Not a fault: {@link FaultPlan.heal}
   * leaves it alone.
   */
  get delayScale(): number {
    return this.scale;
  }

  set delayScale(scale: number) {
    if (!Number.isFinite(scale) || scale <= 0) {
      throw new InvalidFaultError(`delay scale ${scale} is not positive`);
    }
    this.scale = scale;
    this.changed();
  }

  /**
   * Splits the cluster: nodes in different groups cannot talk, either way.
   * A node listed in no group is not partitioned at all and keeps talking
   * to everyone. Replaces any earlier partition; cuts and link faults stay.
   */
  partition(groups: readonly (readonly NodeId[])[]): void {
    const groupOf = new Map<NodeId, number>();
    groups.forEach((group, index) => {
      for (const id of group) {
        checkNode(id);
        if (groupOf.has(id)) {
          throw new InvalidFaultError(`node ${id} is in two groups`);
        }
        groupOf.set(id, index);
      }
    });
    this.groupOf.clear();
    groupOf.forEach((index, id) => this.groupOf.set(id, index));
    this.groups = groups.map((group) => [...group]);
    this.changed();
  }

  /** Blocks the one-way link `from` → `to`; the reverse still flows. */
  cut(from: NodeId, to: NodeId): void {
    checkNode(from);
    checkNode(to);
    let targets = this.cuts.get(from);
    if (targets === undefined) {
      targets = new Set();
      this.cuts.set(from, targets);
    }
    targets.add(to);
    this.changed();
  }

  /**
   * Sets the faults of the link `from` → `to`, replacing earlier ones. A
   * fault with no field set clears the link.
   */
  setLink(from: NodeId, to: NodeId, fault: LinkFault): void {
    checkNode(from);
    checkNode(to);
    const normal = normalise(fault);
    let targets = this.links.get(from);
    if (normal === null) {
      targets?.delete(to);
    } else {
      if (targets === undefined) {
        targets = new Map();
        this.links.set(from, targets);
      }
      targets.set(to, normal);
    }
    this.changed();
  }

  /** Clears partitions, cuts and link faults. The delay scale stays. */
  heal(): void {
    this.groupOf.clear();
    this.groups = [];
    this.cuts.clear();
    this.links.clear();
    this.changed();
  }

  /** True when nothing can get from `from` to `to` right now. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    const a = this.groupOf.get(from);
    if (a !== undefined) {
      const b = this.groupOf.get(to);
      if (b !== undefined && a !== b) {
        return true;
      }
    }
    return (
      this.cuts.get(from)?.has(to) === true ||
      this.links.get(from)?.get(to)?.blocked === true
    );
  }

  /**
   * Decides the fate of one message on `from` → `to`. Draws from `rng`
   * only for probabilities strictly between 0 and 1, in a fixed order
   * (drop, duplicate, reorder), so a seeded run replays exactly.
   */
  decide(from: NodeId, to: NodeId, rng: Rng): Readonly<LinkDecision> {
    if (this.isBlocked(from, to)) {
      return DROP;
    }
    const fault = this.links.get(from)?.get(to);
    if (fault === undefined) {
      return PASS;
    }
    if (chance(rng, fault.drop)) {
      return DROP;
    }
    return {
      deliver: true,
      copies: chance(rng, fault.duplicate) ? 2 : 1,
      delayMs: (fault.delayMs ?? 0) * this.scale,
      holdBack: chance(rng, fault.reorder),
    };
  }

  /** Every fault currently set, as data for the UI. */
  state(): FaultPlanState {
    const cuts: FaultPlanState['cuts'] = [];
    this.cuts.forEach((targets, from) => {
      targets.forEach((to) => cuts.push({ from, to }));
    });
    const links: LinkFaultState[] = [];
    this.links.forEach((targets, from) => {
      targets.forEach((fault, to) => {
        links.push({ from, to, fault: { ...fault } });
      });
    });
    return {
      partition: this.groups.map((group) => [...group]),
      cuts,
      links,
      delayScale: this.scale,
    };
  }

  /**
   * One line a person can read, e.g. `partition {1,2} | {3}; cut 1→3;
   * 2→3 drop 10%, delay 50 ms`, or `no faults`.
   */
  describe(): string {
    const { partition, cuts, links, delayScale } = this.state();
    const parts: string[] = [];
    if (partition.length > 0) {
      const groups = partition.map((group) => `{${group.join(',')}}`);
      parts.push(`partition ${groups.join(' | ')}`);
    }
    for (const { from, to } of cuts) {
      parts.push(`cut ${from}→${to}`);
    }
    for (const { from, to, fault } of links) {
      parts.push(`${from}→${to} ${describeFault(fault)}`);
    }
    if (delayScale !== 1) {
      parts.push(`delays ×${delayScale}`);
    }
    return parts.length === 0 ? 'no faults' : parts.join('; ');
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) {
      listener();
    }
  }
}

function chance(rng: Rng, probability: number | undefined): boolean {
  if (probability === undefined || probability <= 0) {
    return false;
  }
  return probability >= 1 || randomFloat(rng) < probability;
}

function describeFault(fault: LinkFault): string {
  const parts: string[] = [];
  if (fault.blocked === true) {
    parts.push('blocked');
  }
  if (fault.drop !== undefined) {
    parts.push(`drop ${percent(fault.drop)}`);
  }
  if (fault.delayMs !== undefined) {
    parts.push(`delay ${fault.delayMs} ms`);
  }
  if (fault.duplicate !== undefined) {
    parts.push(`duplicate ${percent(fault.duplicate)}`);
  }
  if (fault.reorder !== undefined) {
    parts.push(`reorder ${percent(fault.reorder)}`);
  }
  return parts.join(', ');
}

function percent(probability: number): string {
  return `${Math.round(probability * 1000) / 10}%`;
}

function checkNode(id: NodeId): void {
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new InvalidFaultError(`${id} is not a node id`);
  }
}

// keeps only the fields that do something, after checking their ranges
function normalise(fault: LinkFault): LinkFault | null {
  const out: LinkFault = {};
  for (const key of ['drop', 'duplicate', 'reorder'] as const) {
    const value = fault[key];
    if (value === undefined) {
      continue;
    }
    if (!(value >= 0 && value <= 1)) {
      throw new InvalidFaultError(`${key} ${value} is not in [0, 1]`);
    }
    if (value > 0) {
      out[key] = value;
    }
  }
  const delayMs = fault.delayMs;
  if (delayMs !== undefined) {
    if (!Number.isFinite(delayMs) || delayMs < 0) {
      throw new InvalidFaultError(`delay ${delayMs} ms is not >= 0`);
    }
    if (delayMs > 0) {
      out.delayMs = delayMs;
    }
  }
  if (fault.blocked === true) {
    out.blocked = true;
  }
  return Object.keys(out).length === 0 ? null : out;
}
