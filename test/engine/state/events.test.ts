// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { AspenStateMachine } from '../../../engine/state/machine';
import type { RetentionLimits } from '../../../engine/state/events';

import { CounterModule, LogBuilder } from './log-builder';

function setup(retention: Partial<RetentionLimits>) {
  const jobs = new CounterModule();
  const machine = new AspenStateMachine({ retention, modules: { jobs } });
  const log = new LogBuilder();
  const publish = (topic: string, payload: unknown = null, time?: number) =>
    machine.apply(log.cmd({ t: 'publish', topic, payload }, { time }));
  const ids = () =>
    machine
      .eventsFrom(machine.earliestEventId())
      .map((e) => `${e.id.index}.${e.id.offset}`);
  return { machine, log, publish, ids, jobs };
}

describe('EventLog retention', () => {
  it('keeps the newest events within the count bound', () => {
    const { publish, ids } = setup({ maxEvents: 3 });
    for (let i = 0; i < 5; i++) {
      publish('t');
    }
    expect(ids()).toEqual(['3.0', '4.0', '5.0']);
  });

  it('trims by estimated bytes', () => {
    const { machine, publish, ids } = setup({ maxBytes: 250 });
    publish('t', 'x'.repeat(100));
    publish('t', 'y'.repeat(100));
    publish('t', 'z'.repeat(100));
    expect(ids()).toEqual(['2.0', '3.0']);
    expect(machine.retention().bytes).toBeLessThanOrEqual(250);
  });

  it('trims by age in cluster time', () => {
    const { publish, ids } = setup({ maxAgeMs: 1_000 });
    publish('t', 1, 1_000);
    publish('t', 2, 1_500);
    publish('t', 3, 2_100);
    expect(ids()).toEqual(['2.0', '3.0']);
  });

  it('throws COMPACTED naming the earliest retained id', () => {
    const { machine, publish } = setup({ maxEvents: 2 });
    for (let i = 0; i < 4; i++) {
      publish('t');
    }
    expect(() => machine.eventsFrom({ index: 2, offset: 0 })).toThrow(
      expect.objectContaining({
        code: 'COMPACTED',
        message: 'events before 3.0 were compacted; earliest retained is 3.0',
      }),
    );
    expect(machine.eventsFrom({ index: 3, offset: 0 })).toHaveLength(2);
  });

  it('keeps a pinned event readable past retention until its last unpin', () => {
    const { machine, log, publish, ids } = setup({ maxEvents: 1 });
    publish('keep.me', 'payload');
    const pin = () => machine.apply(log.cmd({ t: 'jobs', cmd: { op: 'pin' } }));
    pin();
    publish('t');
    publish('t');
    expect(ids()).toEqual(['4.0']);
    expect(machine.event({ index: 1, offset: 0 })?.payload).toBe('payload');

    machine.apply(log.cmd({ t: 'jobs', cmd: { op: 'unpin' } }));
    expect(machine.event({ index: 1, offset: 0 })).toBeUndefined();
  });

  it('returns events at or after an id inside an entry, in order', () => {
    const { machine, log } = setup({});
    machine.apply(
      log.cmd({
        t: 'publishBatch',
        messages: ['a', 'b', 'c'].map((topic) => ({ topic, payload: topic })),
      }),
    );
    const topics = machine
      .eventsFrom({ index: 1, offset: 1 })
      .map((e) => e.topic);
    expect(topics).toEqual(['b', 'c']);
  });
});
