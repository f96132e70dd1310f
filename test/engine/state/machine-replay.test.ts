// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Command } from '../../../engine/state/commands';
import { AspenStateMachine } from '../../../engine/state/machine';
import type { Entry } from '../../../engine/raft/types';

import { CounterModule, LogBuilder } from './log-builder';

const keys = ['a', 'b', 'c'];
const key = fc.constantFrom(...keys);
const value = fc.oneof(
  fc.constantFrom('1', '2', ''),
  fc.uint8Array({ maxLength: 3 }),
);
const ttlMs = fc.option(fc.integer({ min: 1, max: 3_000 }), { nil: undefined });
const topic = fc.constantFrom('orders.new', 'orders.*', '$studio.x', 'a.b.c');
const message = fc.record({ topic, payload: fc.jsonValue({ maxDepth: 1 }) });

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ t: fc.constant('kv.put' as const), key, value, ttlMs }),
  fc.record({ t: fc.constant('kv.delete' as const), key }),
  fc.record({
    t: fc.constant('kv.cas' as const),
    key,
    expected: fc.option(value, { nil: null }),
    value,
    ttlMs,
  }),
  fc.record({
    t: fc.constant('kv.batch' as const),
    ops: fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('put' as const), key, value, ttlMs }),
        fc.record({ op: fc.constant('delete' as const), key }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({ t: fc.constant('publish' as const), topic, payload: fc.nat() }),
  fc.record({
    t: fc.constant('publishBatch' as const),
    messages: fc.array(message, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    t: fc.constant('expire' as const),
    ids: fc.subarray(['kv:a', 'kv:b', 'kv:c', 'jobs:t1', 'jobs:t2']),
    now: fc.constant(0),
  }),
  fc.record({
    t: fc.constant('observed' as const),
    kind: fc.constantFrom(
      'system.snapshot_created',
      '$studio.node.killed',
      'x',
    ),
    payload: fc.nat(),
  }),
  fc.record({
    t: fc.constant('hooks.config' as const),
    version: fc.integer({ min: 1, max: 3 }),
    text: fc.string({ maxLength: 5 }),
  }),
  fc.record({
    t: fc.constant('jobs' as const),
    cmd: fc.oneof(
      fc.constant({ op: 'add' }),
      fc.constant({ op: 'pin' }),
      fc.constant({ op: 'unpin' }),
      fc.record({
        op: fc.constant('timer'),
        id: fc.constantFrom('t1', 't2'),
        ms: fc.integer({ min: 1, max: 2_000 }),
      }),
    ),
  }),
);

type Step =
  | { kind: 'cmd'; cmd: Command; client?: string; dt: number; random: number }
  | { kind: 'retry'; back: number }
  | { kind: 'leader'; id: number }
  | {
      kind: 'config';
      change: {
        type: 'addLearner' | 'promote' | 'remove' | 'addVoter';
        node: number;
      };
    }
  | { kind: 'garbage'; bytes: Uint8Array };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('cmd' as const),
      cmd: command,
      client: fc.option(fc.constantFrom('c1', 'c2', 'c3'), { nil: undefined }),
      dt: fc.integer({ min: -500, max: 2_000 }),
      random: fc.nat({ max: 0xffff_ffff }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('retry' as const),
      back: fc.nat(10),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('leader' as const),
      id: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('config' as const),
      change: fc.record({
        type: fc.constantFrom('addLearner', 'promote', 'remove', 'addVoter'),
        node: fc.integer({ min: 1, max: 4 }),
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('garbage' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
    }),
  },
);

function buildLog(steps: Step[]): Entry[] {
  const log = new LogBuilder();
  const seqs = new Map<string, number>();
  const sent: Entry[] = [];
  for (const s of steps) {
    if (s.kind === 'cmd') {
      const time = Math.max(0, log.time + s.dt);
      const seq =
        s.client === undefined ? undefined : (seqs.get(s.client) ?? 0) + 1;
      if (s.client !== undefined) {
        seqs.set(s.client, seq!);
      }
      const cmd = s.cmd.t === 'expire' ? { ...s.cmd, now: time } : s.cmd;
      sent.push(
        log.cmd(cmd, { time, random: s.random, client: s.client, seq }),
      );
    } else if (s.kind === 'retry') {
      const earlier = sent[sent.length - 1 - s.back];
      if (earlier !== undefined) {
        log.raw(earlier.data);
      }
    } else if (s.kind === 'leader') {
      log.leader(s.id);
    } else if (s.kind === 'config') {
      log.config(s.change);
    } else {
      log.raw(s.bytes);
    }
  }
  return log.entries;
}

function newMachine(): AspenStateMachine {
  return new AspenStateMachine({
    modules: { jobs: new CounterModule() },
    retention: { maxEvents: 12, maxBytes: 400, maxAgeMs: 4_000 },
    maxSessions: 2,
    initialConf: { voters: [1, 2, 3], learners: [] },
  });
}

describe('AspenStateMachine replay', () => {
  it('equals replay after a snapshot and restore at any point', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 60 }),
        fc.nat(),
        (steps, cut) => {
          const entries = buildLog(steps);
          const at = cut % (entries.length + 1);

          const replayed = newMachine();
          const twin = newMachine();
          const replayResults = entries.map((e) => replayed.apply(e));
          entries.forEach((e) => twin.apply(e));
          const final = replayed.snapshot();
          expect(Buffer.from(twin.snapshot()).equals(Buffer.from(final))).toBe(
            true,
          );

          const first = newMachine();
          entries.slice(0, at).forEach((e) => first.apply(e));
          const restored = newMachine();
          restored.restore(first.snapshot());
          const rest = entries.slice(at).map((e) => restored.apply(e));
          expect(rest).toEqual(replayResults.slice(at));
          expect(
            Buffer.from(restored.snapshot()).equals(Buffer.from(final)),
          ).toBe(true);
          expect(restored.deadlines()).toEqual(replayed.deadlines());
        },
      ),
      { numRuns: 150 },
    );
  });
});
