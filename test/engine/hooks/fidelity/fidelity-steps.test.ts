// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  describeStep,
  stepsFromEvents,
} from '../../../../engine/hooks/fidelity/fidelity-steps';
import type { StateEvent } from '../../../../engine/state/module';

function event(
  index: number,
  topic: string,
  payload: unknown,
  extra: Partial<StateEvent> = {},
): StateEvent {
  return {
    id: { index, offset: 0 },
    topic,
    time: 0,
    payload,
    depth: 0,
    ...extra,
  };
}

describe('stepsFromEvents()', () => {
  it('replays user publishes and KV writes, and leaves the rest to the cluster', () => {
    const steps = stepsFromEvents([
      event(2, 'hooks.cluster.leader_elected', { new_leader_id: 1 }),
      event(3, 'hooks.kv.write_committed', { key: 'a', value_size_bytes: 3 }),
      event(4, 'orders.created', { id: 7 }, { headers: { h: 'v' } }),
      event(
        5,
        'orders.shipped',
        { id: 7 },
        {
          causation: { index: 4, offset: 0 },
          depth: 1,
        },
      ),
      event(6, '$jobs.created', {}),
      event(7, 'hooks.kv.delete_committed', { key: 'a', existed: true }),
    ]);
    expect(steps).toEqual([
      { type: 'kv_put', key: 'a', value: 'xxx' },
      {
        type: 'publish',
        topic: 'orders.created',
        payload: { id: 7 },
        headers: { h: 'v' },
      },
      { type: 'kv_delete', key: 'a' },
    ]);
    expect(steps.map(describeStep)).toEqual([
      'kv_put a',
      'publish orders.created',
      'kv_delete a',
    ]);
  });
});
