import { useStore } from 'zustand';

import { hasFaults, quorumSides } from '../../lib/quorum';
import { clusterStore } from '../../state/cluster-store';

const list = (ids: number[]) => ids.map((id) => `n${id}`).join(', ');

/** Which side of a split can still commit, in one line. */
export function QuorumBanner(): React.JSX.Element | null {
  const status = useStore(clusterStore, (state) => state.status);
  if (status === null) {
    return null;
  }
  const sides = quorumSides(status);
  const majority = Math.floor(status.voters.length / 2) + 1;
  const committing = sides.find((side) => side.canCommit);
  const stranded = sides.filter((side) => !side.canCommit);

  let tone: 'good' | 'warn' | 'bad';
  let text: string;
  if (committing === undefined) {
    tone = 'bad';
    text = `No side holds a quorum (${majority} of ${status.voters.length} voters): nothing can commit until nodes return or the network heals.`;
  } else if (stranded.length === 0) {
    tone = hasFaults(status) ? 'warn' : 'good';
    text = hasFaults(status)
      ? `All running nodes still reach a quorum despite the faults; ${list(committing.nodes)} can commit.`
      : `Healthy: ${list(committing.nodes)} reach each other; quorum is ${majority} of ${status.voters.length} voters.`;
  } else {
    tone = 'warn';
    text = `Split: ${list(committing.nodes)} can commit (${committing.voters} of ${status.voters.length} voters). ${stranded
      .map((side) => list(side.nodes))
      .join(' and ')} cannot commit (minority).`;
  }
  return (
    <div
      className={`banner banner-${tone}`}
      role="status"
      data-testid="quorum-banner"
    >
      {text}
    </div>
  );
}
