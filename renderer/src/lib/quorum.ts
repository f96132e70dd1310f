import type { ClusterStatus } from '../../../preload/contract';

/** Whether messages get through from one node to another. */
export function isLinkOpen(
  status: ClusterStatus,
  from: number,
  to: number,
): boolean {
  const { partition, cuts, links } = status.faults;
  if (partition.length > 0) {
    const side = (id: number) =>
      partition.findIndex((group) => group.includes(id));
    if (side(from) !== side(to)) {
      return false;
    }
  }
  if (cuts.some((cut) => cut.from === from && cut.to === to)) {
    return false;
  }
  const link = links.find((l) => l.from === from && l.to === to);
  return !(link?.blocked === true || link?.drop === 1);
}

/** A set of nodes that reach each other both ways, and what it can do. */
export interface Side {
  nodes: number[];
  /** Running voters on this side. */
  voters: number;
  /** Whether those voters are a majority of the membership. */
  canCommit: boolean;
}

/**
 * Splits the running nodes into sides: nodes joined by links open in
 * both directions (a leader needs its appends to arrive and their
 * answers to come back). A side holding a majority of the voters can
 * still commit; at most one side can.
 */
export function quorumSides(status: ClusterStatus): Side[] {
  const running = status.nodes
    .filter((node) => node.state === 'running')
    .map((node) => node.id);
  const majority = Math.floor(status.voters.length / 2) + 1;
  const seen = new Set<number>();
  const sides: Side[] = [];
  for (const start of running) {
    if (seen.has(start)) {
      continue;
    }
    const nodes: number[] = [];
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const id = queue.shift()!;
      nodes.push(id);
      for (const other of running) {
        const isJoined =
          isLinkOpen(status, id, other) && isLinkOpen(status, other, id);
        if (!seen.has(other) && isJoined) {
          seen.add(other);
          queue.push(other);
        }
      }
    }
    nodes.sort((a, b) => a - b);
    const voters = nodes.filter((id) => status.voters.includes(id)).length;
    sides.push({ nodes, voters, canCommit: voters >= majority });
  }
  return sides;
}

/** Whether any fault is set at all. */
export function hasFaults(status: ClusterStatus): boolean {
  const { partition, cuts, links } = status.faults;
  return partition.length > 0 || cuts.length > 0 || links.length > 0;
}
