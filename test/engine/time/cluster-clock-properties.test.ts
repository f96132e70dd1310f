// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Disposable } from '../../../engine/ports/clock';
import { ClusterClock } from '../../../engine/time/cluster-clock';
import { VirtualClock } from '../../support/virtual-clock';

type Action =
  | { t: 'scale'; scale: number }
  | { t: 'pause' }
  | { t: 'resume' }
  | { t: 'step' }
  | { t: 'advance'; ms: number }
  | { t: 'real'; ms: number }
  | { t: 'timer'; ms: number }
  | { t: 'cancel'; pick: number };

// timers and real time weigh more: most bugs need several timers close
// together and time passing between the controls
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      t: fc.constant('scale' as const),
      scale: fc.constantFrom(1 / 50, 1 / 20, 1 / 3, 1, 2.5, 100, 1000),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ t: 'pause' as const }), weight: 1 },
  { arbitrary: fc.constant({ t: 'resume' as const }), weight: 1 },
  { arbitrary: fc.constant({ t: 'step' as const }), weight: 2 },
  {
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.nat(300),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ t: fc.constant('real' as const), ms: fc.nat(400) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ t: fc.constant('timer' as const), ms: fc.nat(300) }),
    weight: 6,
  },
  {
    arbitrary: fc.record({ t: fc.constant('cancel' as const), pick: fc.nat() }),
    weight: 1,
  },
);

interface Tracked {
  due: number;
  seq: number;
  handle: Disposable;
  isCancelled: boolean;
  firedAt?: number;
}

describe('ClusterClock', () => {
  it('never goes back and fires every timer once, in due order, never early', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
        const source = new VirtualClock();
        const clock = new ClusterClock({ source, startAt: 1_000 });
        const timers: Tracked[] = [];
        const order: Tracked[] = [];
        let last = clock.now();
        const observe = () => {
          const now = clock.now();
          expect(now).toBeGreaterThanOrEqual(last);
          last = now;
        };

        for (const a of actions) {
          if (a.t === 'scale') {
            clock.setScale(a.scale);
          } else if (a.t === 'pause') {
            clock.pause();
          } else if (a.t === 'resume') {
            clock.resume();
          } else if (a.t === 'step' && clock.isPaused) {
            const before = order.length;
            const { isFired } = clock.step();
            expect(order.length - before).toBe(isFired ? 1 : 0);
          } else if (a.t === 'advance' && clock.isPaused) {
            clock.advance(a.ms);
          } else if (a.t === 'real') {
            source.advance(a.ms);
          } else if (a.t === 'timer') {
            const tracked: Tracked = {
              due: clock.now() + a.ms,
              seq: timers.length,
              isCancelled: false,
              handle: clock.setTimeout(() => {
                expect(tracked.isCancelled).toBe(false);
                expect(tracked.firedAt).toBeUndefined();
                tracked.firedAt = clock.now();
                order.push(tracked);
                observe();
              }, a.ms),
            };
            timers.push(tracked);
          } else if (a.t === 'cancel' && timers.length > 0) {
            const tracked = timers[a.pick % timers.length]!;
            if (tracked.firedAt === undefined) {
              tracked.isCancelled = true;
            }
            tracked.handle.dispose();
          }
          observe();
        }

        // let time run until everything left is due
        clock.resume();
        source.advance(10_000_000);
        observe();
        for (const tracked of timers) {
          if (tracked.isCancelled) {
            expect(tracked.firedAt).toBeUndefined();
          } else {
            expect(tracked.firedAt).toBeGreaterThanOrEqual(tracked.due);
          }
        }
        const sorted = [...order].sort(
          (a, b) => a.due - b.due || a.seq - b.seq,
        );
        expect(order).toEqual(sorted);
        expect(source.pending).toBe(0);
      }),
      { numRuns: 400 },
    );
  });
});
