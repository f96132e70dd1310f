// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { formatEventId } from '../../../../engine/state/event-id';
import { AspenStateMachine } from '../../../../engine/state/machine';
import { LogBuilder } from '../log-builder';

// Found by the real-cluster replay test: a fresh cluster's first election
// entry applies before any entry carries a cluster-time stamp, so its
// `leader_elected` event gets time 0, and the 7-day age bound trims it as
// soon as the first stamped entry applies. Replay from index 1 is then
// refused (COMPACTED, earliest 2.0) though no bound was ever reached.
describe('AspenStateMachine', () => {
  it('replays the first election event from index 1 after a stamped entry applies', () => {
    const machine = new AspenStateMachine({
      initialConf: { voters: [1, 2, 3], learners: [] },
    });
    const log = new LogBuilder();
    machine.apply(log.leader(1));
    machine.apply(
      log.cmd(
        { t: 'publish', topic: 'orders.created', payload: { n: 1 } },
        { time: Date.UTC(2026, 11, 4) },
      ),
    );

    const replayed = machine.eventsFrom({ index: 1, offset: 0 });
    expect(replayed.map((event) => formatEventId(event.id))).toEqual([
      '1.0',
      '2.0',
    ]);
  });
});
