// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { AspenStateMachine } from '../../../engine/state/machine';

import { LogBuilder } from './log-builder';

describe('ClusterState', () => {
  it('emits leader_elected with the previous leader and the membership', () => {
    const machine = new AspenStateMachine({
      initialConf: { voters: [1, 2, 3], learners: [] },
    });
    const log = new LogBuilder();
    machine.apply(log.leader(1, 2));
    machine.apply(log.leader(3, 5));
    const payloads = machine
      .eventsFrom({ index: 0, offset: 0 })
      .map((e) => [e.topic, e.payload]);
    expect(payloads).toEqual([
      [
        'hooks.cluster.leader_elected',
        { new_leader_id: 1, term: 2, voters: [1, 2, 3], learners: [] },
      ],
      [
        'hooks.cluster.leader_elected',
        {
          new_leader_id: 3,
          previous_leader_id: 1,
          term: 5,
          voters: [1, 2, 3],
          learners: [],
        },
      ],
    ]);
    expect(machine.clusterInfo()).toMatchObject({ leader: 3, term: 5 });
  });

  it('emits membership_changed with production change types', () => {
    const machine = new AspenStateMachine({
      initialConf: { voters: [1], learners: [] },
    });
    const log = new LogBuilder();
    const changes = [
      { type: 'addLearner', node: 4 },
      { type: 'promote', node: 4 },
      { type: 'addVoter', node: 5 },
      { type: 'remove', node: 1 },
    ] as const;
    changes.forEach((change) => machine.apply(log.config(change)));
    const payloads = machine
      .eventsFrom({ index: 0, offset: 0 })
      .map((e) => e.payload);
    expect(payloads).toEqual([
      {
        voters: [1],
        learners: [4],
        affected_node: 4,
        change_type: 'added_learner',
      },
      {
        voters: [1, 4],
        learners: [],
        affected_node: 4,
        change_type: 'promoted',
      },
      {
        voters: [1, 4, 5],
        learners: [],
        affected_node: 5,
        change_type: 'added_voter',
      },
      {
        voters: [4, 5],
        learners: [],
        affected_node: 1,
        change_type: 'removed',
      },
    ]);
    expect(machine.clusterInfo()).toMatchObject({
      voters: [4, 5],
      learners: [],
    });
  });

  it('refuses a change that makes no sense and a malformed leader entry', () => {
    const machine = new AspenStateMachine({
      initialConf: { voters: [1], learners: [] },
    });
    const log = new LogBuilder();
    const bad = machine.apply(log.config({ type: 'promote', node: 9 }));
    expect(bad).toMatchObject({ error: { code: 'INVALID_CONF_CHANGE' } });
    const entry = log.leader(1);
    entry.data = Uint8Array.of(1, 2);
    expect(machine.apply(entry)).toMatchObject({
      error: { code: 'BAD_ENTRY' },
    });
    expect(machine.retention().count).toBe(0);
  });
});
