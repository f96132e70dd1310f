// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createHookStateMachine } from '../../../../engine/hooks/dispatch/hook-machine';
import type { Entry } from '../../../../engine/raft/types';
import { LogBuilder } from '../../state/log-builder';

import { CONFIG, LIMITED, publish } from './hook-configs';

describe('HookJobsModule', () => {
  describe('determinism', () => {
    it('gives every replica the same jobs, whether replayed or restored from a snapshot', () => {
      fc.assert(
        fc.property(
          fc.array(step, { minLength: 1, maxLength: 40 }),
          fc.nat(),
          (steps, cut) => {
            const entries = buildLog(steps);
            const at = cut % (entries.length + 1);
            const replayed = machineOf(entries);
            const twin = machineOf(entries);
            const final = Buffer.from(replayed.machine.snapshot());
            expect(Buffer.from(twin.machine.snapshot()).equals(final)).toBe(
              true,
            );

            const first = machineOf(entries.slice(0, at));
            const restored = createHookStateMachine({ initialConf });
            restored.machine.restore(first.machine.snapshot());
            entries.slice(at).forEach((e) => restored.machine.apply(e));
            expect(Buffer.from(restored.machine.snapshot()).equals(final)).toBe(
              true,
            );
            expect(restored.machine.deadlines()).toEqual(
              replayed.machine.deadlines(),
            );
            expect(restored.hookJobs.hooksWithOpenJobs()).toEqual(
              replayed.hookJobs.hooksWithOpenJobs(),
            );
          },
        ),
        { numRuns: 120 },
      );
    });
  });
});

const initialConf = { voters: [1], learners: [] };
const TEXTS = [CONFIG, LIMITED, CONFIG.replace('orders.created', 'orders.*')];

type Step =
  | { kind: 'publish'; topic: string; n: number; depth: number; dt: number }
  | { kind: 'config'; text: number }
  | {
      kind: 'job';
      op: 'lease' | 'ack' | 'nak' | 'redrive' | 'reclaim' | 'batch';
      job: number;
      attempt: number;
    }
  | { kind: 'expire'; job: number; dt: number }
  | { kind: 'leader' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('publish' as const),
      topic: fc.constantFrom(
        'orders.created',
        'orders.paid',
        'clicks.a',
        'x.y',
      ),
      n: fc.nat(2),
      depth: fc.nat(4),
      dt: fc.nat(1_500),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('config' as const),
      text: fc.nat(TEXTS.length - 1),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('job' as const),
      op: fc.constantFrom('lease', 'ack', 'nak', 'redrive', 'reclaim', 'batch'),
      job: fc.integer({ min: 1, max: 6 }),
      attempt: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('expire' as const),
      job: fc.integer({ min: 1, max: 6 }),
      dt: fc.nat(3_000),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'leader' as const }) },
);

function buildLog(steps: Step[]): Entry[] {
  const log = new LogBuilder();
  log.leader(1);
  let version = 0;
  steps.forEach((s, i) => {
    const random = (i * 2_654_435_761) >>> 0;
    if (s.kind === 'publish') {
      const cmd = publish(s.topic, { n: s.n }, s.depth);
      log.cmd(cmd, { time: log.time + s.dt, random });
    } else if (s.kind === 'config') {
      version += 1;
      log.cmd({ t: 'hooks.config', version, text: TEXTS[s.text]! });
    } else if (s.kind === 'expire') {
      const time = log.time + s.dt;
      const ids = [`jobs:due:job-${s.job}`, `jobs:lease:job-${s.job}`];
      log.cmd({ t: 'expire', ids, now: time }, { time, random });
    } else if (s.kind === 'leader') {
      log.leader(1);
    } else {
      log.cmd({ t: 'jobs', cmd: jobCommand(s, log.term) }, { random });
    }
  });
  return log.entries;
}

function jobCommand(s: Extract<Step, { kind: 'job' }>, term: number): unknown {
  const ref = { job: `job-${s.job}`, attempt: s.attempt, term };
  switch (s.op) {
    case 'lease':
      return { type: 'lease', worker: 'w', max: 2 };
    case 'ack':
      return { type: 'ack', ...ref };
    case 'nak':
      return { type: 'nak', ...ref, error: 'boom' };
    case 'redrive':
      return { type: 'redrive', all: {} };
    case 'reclaim':
      return { type: 'reclaim', term };
    case 'batch':
      return {
        type: 'batch',
        commands: [
          { type: 'heartbeat', ...ref },
          { type: 'nak', ...ref, error: 'busy' },
          { type: 'lease', worker: 'w', max: 1 },
        ],
      };
  }
}

function machineOf(entries: Entry[]) {
  const built = createHookStateMachine({ initialConf });
  entries.forEach((entry) => built.machine.apply(entry));
  return built;
}
