import { describe, expect, it } from 'vitest';

import type { ClusterStatus } from '../../../preload/contract';
import { statusChanges } from '../../../renderer/src/lib/status-observations';

function base(): ClusterStatus {
  return {
    leader: 1,
    term: 1,
    commit: 3,
    clusterTime: 0,
    nodes: [1, 2, 3].map((id) => ({
      id,
      state: 'running' as const,
      role: id === 1 ? ('leader' as const) : ('follower' as const),
      term: 1,
      leader: 1,
      commit: 3,
      applied: 3,
      lastIndex: 3,
      snapshotIndex: 0,
      isVoter: true,
    })),
    voters: [1, 2, 3],
    learners: [],
    faults: { description: 'no faults', partition: [], cuts: [], links: [] },
    targets: [],
  };
}

describe('statusChanges()', () => {
  it('records a kill and the loss of the leader', () => {
    const after = structuredClone(base());
    after.nodes[0]!.state = 'killed';
    after.leader = null;
    expect(statusChanges(base(), after).map((c) => c.text)).toEqual([
      'node 1 killed',
      'no leader (was node 1, term 1)',
    ]);
  });

  it('records faults set and healed', () => {
    const cut = structuredClone(base());
    cut.faults = {
      description: 'cut 1→2',
      partition: [],
      cuts: [{ from: 1, to: 2 }],
      links: [],
    };
    expect(statusChanges(base(), cut)).toEqual([
      { text: 'network: cut 1→2', tone: 'fault' },
    ]);
    expect(statusChanges(cut, base())).toEqual([
      { text: 'network healed', tone: 'recover' },
    ]);
  });

  it('records nothing for the first status', () => {
    expect(statusChanges(null, base())).toEqual([]);
  });
});
