// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { Delivery } from '../../../../engine/state/groups/commands';
import { GroupsModule } from '../../../../engine/state/groups/groups-module';
import { JobsModule } from '../../../../engine/state/jobs/jobs-module';
import { AspenStateMachine } from '../../../../engine/state/machine';
import { LogBuilder } from '../log-builder';

function machineWithModules() {
  const modules = { jobs: new JobsModule(), groups: new GroupsModule() };
  return { machine: new AspenStateMachine({ modules }), ...modules };
}

describe('GroupsModule in the state machine', () => {
  it('takes events, redelivers on expiry and replays alike', () => {
    const { machine } = machineWithModules();
    const log = new LogBuilder();
    const groups = (cmd: unknown) => log.cmd({ t: 'groups', cmd });
    const config = { pattern_str: 'orders.*', visibility_timeout_ms: 1000 };
    const entries = [
      groups({ type: 'create', group: 'orders', config }),
      groups({
        type: 'create',
        group: 'jobs',
        config: { pattern_str: '$jobs.*' },
      }),
      groups({ type: 'join', group: 'orders', consumer: 'c1' }),
      log.cmd({ t: 'publish', topic: 'orders.created', payload: { id: 7 } }),
      log.cmd({
        t: 'jobs',
        cmd: {
          type: 'enqueue',
          priority: 'high',
          payload: 1,
          maxAttempts: 1,
          timeoutMs: 10,
        },
      }),
    ];
    const [, , joined] = entries.map((entry) => machine.apply(entry)) as {
      fencingToken: number;
    }[];
    const fetch = groups({
      type: 'fetch',
      group: 'orders',
      consumer: 'c1',
      fencingToken: joined!.fencingToken,
      max: 10,
    });
    const first = machine.apply(fetch) as { messages: Delivery[] };
    expect(first.messages).toMatchObject([
      { topic: 'orders.created', attempt: 1, event: { payload: { id: 7 } } },
    ]);
    const groupDeadlines = machine
      .deadlines()
      .filter((deadline) => deadline.id.startsWith('groups:'));
    expect(groupDeadlines.map((deadline) => deadline.id)).toContain(
      'groups:visibility:orders:4.0',
    );

    // the timer service's expire entry reaches the module through the machine
    const expire = log.cmd(
      { t: 'expire', ids: ['groups:visibility:orders:4.0'], now: 2000 },
      { time: 2000 },
    );
    expect(machine.apply(expire)).toMatchObject({ skipped: [] });
    const again = machine.apply(
      groups({
        type: 'fetch',
        group: 'orders',
        consumer: 'c1',
        fencingToken: joined!.fencingToken,
        max: 10,
      }),
    ) as { messages: Delivery[] };
    expect(again.messages[0]?.attempt).toBe(2);

    // a second machine replaying the log ends in the same state
    const replay = machineWithModules();
    log.entries.forEach((entry) => replay.machine.apply(entry));
    expect(replay.machine.snapshot()).toEqual(machine.snapshot());
    const view = replay.groups.groups().find((group) => group.id === 'jobs');
    expect(view?.available).toBe(1);
  });
});
