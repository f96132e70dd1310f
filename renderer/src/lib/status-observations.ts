import type { ClusterStatus } from '../../../preload/contract';

/** A change between two statuses that the timeline records. */
export interface StatusChange {
  text: string;
  tone: 'fault' | 'recover' | 'info';
}

/** The highest index any running node applied: where a change sits. */
export function appliedIndex(status: ClusterStatus): number {
  let index = 0;
  for (const node of status.nodes) {
    if (node.state === 'running') {
      index = Math.max(index, node.applied);
    }
  }
  return index;
}

/**
 * What changed between two statuses that no log entry records: kills,
 * restarts, nodes appearing or going, network faults set or healed, and
 * the loss of the leader. Elections and membership changes are entries
 * of the log and reach the timeline as events of their own.
 */
export function statusChanges(
  before: ClusterStatus | null,
  after: ClusterStatus,
): StatusChange[] {
  if (before === null) {
    return [];
  }
  const changes: StatusChange[] = [];
  const old = new Map(before.nodes.map((node) => [node.id, node]));
  for (const node of after.nodes) {
    const was = old.get(node.id);
    if (was === undefined) {
      changes.push({ text: `node ${node.id} added`, tone: 'info' });
    } else if (was.state === 'running' && node.state === 'killed') {
      changes.push({ text: `node ${node.id} killed`, tone: 'fault' });
    } else if (was.state === 'killed' && node.state === 'running') {
      changes.push({ text: `node ${node.id} restarted`, tone: 'recover' });
    }
    old.delete(node.id);
  }
  for (const id of old.keys()) {
    changes.push({ text: `node ${id} removed`, tone: 'info' });
  }
  if (before.faults.description !== after.faults.description) {
    const isHealed =
      after.faults.partition.length === 0 &&
      after.faults.cuts.length === 0 &&
      after.faults.links.length === 0;
    changes.push(
      isHealed
        ? { text: 'network healed', tone: 'recover' }
        : { text: `network: ${after.faults.description}`, tone: 'fault' },
    );
  }
  if (before.leader !== null && after.leader === null) {
    changes.push({
      text: `no leader (was node ${before.leader}, term ${before.term})`,
      tone: 'fault',
    });
  }
  return changes;
}
