// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { matchSubject } from '../../../engine/pubsub/subject';
import {
  Subscriptions,
  type Bookmark,
  type Lag,
  type SubscriptionsOptions,
} from '../../../engine/pubsub/subscriptions';
import type { RetentionLimits } from '../../../engine/state/events';
import { AspenStateMachine } from '../../../engine/state/machine';
import type { StateEvent } from '../../../engine/state/module';
import { LogBuilder } from '../state/log-builder';

// lets queued microtasks and promise callbacks run; no timer involved
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(
  options: SubscriptionsOptions = {},
  retention: Partial<RetentionLimits> = {},
) {
  const machine = new AspenStateMachine({ retention });
  const log = new LogBuilder();
  const subs = new Subscriptions(machine, options);
  const publish = (...topics: string[]) =>
    machine.apply(
      log.cmd({
        t: 'publishBatch',
        messages: topics.map((topic) => ({ topic, payload: topic })),
      }),
    );
  return { machine, subs, publish };
}

const idOf = (e: StateEvent) => `${e.id.index}.${e.id.offset}`;

describe('Subscriptions', () => {
  it('replays exactly the matching events at or after an id, in log order', async () => {
    const { subs, publish } = setup();
    publish('orders.a', 'pay.a');
    publish('orders.b');
    publish('orders.c', 'orders.d');
    const got: string[] = [];
    subs.subscribe({
      pattern: 'orders.*',
      from: { index: 2, offset: 0 },
      onEvent: (e) => void got.push(idOf(e)),
    });
    await settle();
    expect(got).toEqual(['2.0', '3.0', '3.1']);
  });

  it('switches from replay to live without a gap or a duplicate', async () => {
    const { subs, publish } = setup({ replayPage: 2 });
    publish('t', 't');
    publish('t');
    const got: string[] = [];
    subs.subscribe({
      pattern: '>',
      from: { index: 1, offset: 0 },
      onEvent: async (e) => {
        got.push(idOf(e));
        // entries keep arriving while it replays
        if (got.length <= 3) {
          publish('t');
        }
        await settle();
      },
    });
    for (let i = 0; i < 20 && got.length < 6; i++) {
      await settle();
    }
    publish('t');
    await settle();
    expect(got).toEqual(['1.0', '1.1', '2.0', '3.0', '4.0', '5.0', '6.0']);
  });

  it('tells a slow subscriber it lagged and resumes it from the log', async () => {
    const { subs, publish } = setup({ bufferSize: 2 });
    const got: string[] = [];
    const lags: Lag[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    subs.subscribe({
      pattern: 'x',
      from: 'now',
      onEvent: async (e) => {
        got.push(idOf(e));
        await gate;
      },
      onLag: (lag) => lags.push(lag),
    });
    await settle();
    for (let i = 0; i < 5; i++) {
      publish('x');
    }
    // the cursor is the id after the one in the handler
    expect(lags).toEqual([
      { resumeFrom: { index: 1, offset: 1 }, reason: 'slow' },
    ]);
    release();
    await settle();
    await settle();
    expect(got).toEqual(['1.0', '2.0', '3.0', '4.0', '5.0']);
  });

  it('says which events were lost when retention trimmed past a laggard', async () => {
    const { subs, publish } = setup({ bufferSize: 1 }, { maxEvents: 2 });
    const got: string[] = [];
    const lags: Lag[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    subs.subscribe({
      pattern: 'x',
      from: 'now',
      onEvent: async (e) => {
        got.push(idOf(e));
        await gate;
      },
      onLag: (lag) => lags.push(lag),
    });
    await settle();
    for (let i = 0; i < 6; i++) {
      publish('x');
    }
    release();
    await settle();
    expect(lags[1]).toEqual({
      resumeFrom: { index: 5, offset: 0 },
      reason: 'compacted',
      missedFrom: { index: 1, offset: 1 },
    });
    expect(got).toEqual(['1.0', '5.0', '6.0']);
  });

  it('sends bookmarks to a quiet subscription every N entries', async () => {
    const { subs, publish } = setup({ bookmarkEvery: 3 });
    const marks: Bookmark[] = [];
    const sub = subs.subscribe({
      pattern: 'wanted',
      from: 'now',
      onEvent: () => {},
      onBookmark: (mark) => marks.push(mark),
    });
    await settle();
    for (let i = 0; i < 7; i++) {
      publish('other');
    }
    expect(marks.map((m) => m.index)).toEqual([3, 6]);
    expect(marks[1]?.resumeFrom).toEqual({ index: 7, offset: 0 });
    expect(sub.position()).toEqual({ index: 7, offset: 0 });
  });

  it('refuses to start below the retained range', () => {
    const { subs, publish } = setup({}, { maxEvents: 1 });
    publish('a');
    publish('b');
    expect(() =>
      subs.subscribe({
        pattern: '>',
        from: { index: 1, offset: 0 },
        onEvent: () => {},
      }),
    ).toThrow(expect.objectContaining({ code: 'COMPACTED' }));
  });

  it('resumes a named consumer where it left off', async () => {
    const { subs, publish } = setup();
    const got: string[] = [];
    const options = {
      pattern: '>',
      from: { consumer: 'audit' },
      onEvent: (e: StateEvent) => void got.push(idOf(e)),
    };
    const first = subs.subscribe(options);
    await settle();
    publish('a');
    first.close();
    publish('b');
    publish('c');
    subs.subscribe(options);
    expect(() => subs.subscribe(options)).toThrow(
      expect.objectContaining({ code: 'CONSUMER_BUSY' }),
    );
    await settle();
    expect(got).toEqual(['1.0', '2.0', '3.0']);
    expect(subs.position('audit')).toEqual({ index: 3, offset: 1 });
  });

  it('closes a subscription whose handler throws and reports it', async () => {
    const { subs, publish } = setup();
    const errors: unknown[] = [];
    let calls = 0;
    subs.subscribe({
      pattern: '>',
      from: 'now',
      onEvent: () => {
        calls += 1;
        throw new Error('handler broke');
      },
      onError: (error) => errors.push(error),
    });
    await settle();
    publish('a');
    publish('b');
    expect(calls).toBe(1);
    expect(errors).toEqual([new Error('handler broke')]);
  });

  it('gives every matching event at or after the start once, replayed then live', async () => {
    const topics = fc.constantFrom('a.x', 'a.y', 'b.x', 'a.x.z');
    const batches = fc.array(fc.array(topics, { minLength: 1, maxLength: 3 }), {
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(
        batches,
        batches,
        fc.constantFrom('a.*', '*.x', 'a.>', '>'),
        fc.nat(),
        fc.integer({ min: 1, max: 3 }),
        async (before, after, pattern, start, page) => {
          const { machine, subs, publish } = setup({ replayPage: page });
          before.forEach((batch) => publish(...batch));
          const from = { index: 1 + (start % (before.length + 1)), offset: 0 };
          const got: string[] = [];
          subs.subscribe({
            pattern,
            from,
            onEvent: (e) => void got.push(idOf(e)),
          });
          for (const [i, batch] of after.entries()) {
            publish(...batch);
            if (i % 2 === 0) {
              await settle();
            }
          }
          await settle();
          const want = machine
            .eventsFrom(from)
            .filter((e) => matchSubject(pattern, e.topic))
            .map(idOf);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('feeds live subscribers from the restored log after a snapshot install', async () => {
    const { machine, subs, publish } = setup();
    const got: string[] = [];
    subs.subscribe({
      pattern: '>',
      from: 'now',
      onEvent: (e) => void got.push(idOf(e)),
    });
    await settle();
    publish('a');

    // a replica that is ahead: its snapshot holds events this one never applied
    const ahead = new AspenStateMachine();
    const log = new LogBuilder();
    for (const topic of ['a', 'b', 'c']) {
      ahead.apply(log.cmd({ t: 'publish', topic, payload: null }));
    }
    machine.restore(ahead.snapshot());
    await settle();
    expect(got).toEqual(['1.0', '2.0', '3.0']);
  });
});
