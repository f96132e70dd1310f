// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';

import { createHookStateMachine } from '../../../../engine/hooks/dispatch/hook-machine';
import { LeaderProposer } from '../../../../engine/hooks/dispatch/leader-proposer';
import { TimerService } from '../../../../engine/hooks/dispatch/timer-service';
import { RaftHost } from '../../../../engine/node/raft-host';
import { systemClock } from '../../../../engine/ports/clock';
import { silentLogger } from '../../../../engine/ports/logger';
import { SeededRng } from '../../../../engine/ports/rng';
import { MemoryStorage } from '../../../../engine/storage/memory-storage';
import { MemoryNetwork } from '../../../../engine/transport/memory-network';
import { VirtualClock } from '../../../support/virtual-clock';
import { waitFor } from '../../../support/wait-for';

const T0 = 1_700_000_000_000;

/** A one-node cluster that leads, with a proposer stamping `now`. */
async function leadingNode() {
  const conf = { voters: [1], learners: [] };
  const { machine } = createHookStateMachine({ initialConf: conf });
  const network = new MemoryNetwork({
    clock: systemClock,
    rng: new SeededRng(1),
  });
  const host = await RaftHost.start({
    id: 1,
    storage: new MemoryStorage(),
    transport: network.join(1),
    stateMachine: machine,
    clock: systemClock,
    rng: new SeededRng(2),
    initialConf: conf,
    tickMs: 5,
  });
  await waitFor(() => host.status().role === 'leader', { what: 'a leader' });
  const time = { now: T0 };
  const proposer = new LeaderProposer({
    host,
    term: host.status().term,
    clientId: 'timer-test',
    clusterNow: () => time.now,
    stateTime: () => machine.clusterTime,
  });
  return { host, machine, proposer, time };
}

describe('TimerService', () => {
  let stop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  describe('start()', () => {
    it('renews inherited deadlines so the failover gap alone expires nothing', async () => {
      const { host, machine, proposer, time } = await leadingNode();
      stop = () => host.stop();
      await proposer.propose({
        t: 'kv.put',
        key: 'a',
        value: '1',
        ttlMs: 1000,
      });
      expect(machine.deadlines()).toEqual([{ due: T0 + 1000, id: 'kv:a' }]);

      // a new leader takes over 5 s later, with 1 s of the TTL left
      time.now = T0 + 5000;
      const clock = new VirtualClock();
      const timers = new TimerService({
        deadlines: () => machine.deadlines(),
        stateTime: () => machine.clusterTime,
        clusterNow: () => time.now,
        proposer,
        clock,
        logger: silentLogger,
      });
      timers.start();
      clock.advance(0);
      time.now = T0 + 5999;
      clock.advance(999);
      // an entry after anything the service proposed: `a` is still there
      await proposer.propose({ t: 'kv.put', key: 'probe', value: '' });
      expect(machine.get('a')).toBeDefined();

      time.now = T0 + 6000;
      clock.advance(1);
      await waitFor(() => machine.get('a') === undefined, {
        what: 'the renewed TTL to expire',
      });
      timers.stop();
    });

    it('expires a deadline set after it started at its own due time', async () => {
      const { host, machine, proposer, time } = await leadingNode();
      stop = () => host.stop();
      const clock = new VirtualClock();
      const timers = new TimerService({
        deadlines: () => machine.deadlines(),
        stateTime: () => machine.clusterTime,
        clusterNow: () => time.now,
        proposer,
        clock,
        logger: silentLogger,
      });
      timers.start();
      await proposer.propose({ t: 'kv.put', key: 'b', value: '1', ttlMs: 100 });
      timers.noteDeadline(T0 + 100);

      time.now = T0 + 99;
      clock.advance(99);
      await proposer.propose({ t: 'kv.put', key: 'probe', value: '' });
      expect(machine.get('b')).toBeDefined();
      time.now = T0 + 100;
      clock.advance(1);
      await waitFor(() => machine.get('b') === undefined, {
        what: 'the TTL to expire',
      });
      timers.stop();
    });
  });
});
