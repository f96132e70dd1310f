// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { ClusterClock } from '../../../engine/time/cluster-clock';
import { VirtualClock } from '../../support/virtual-clock';

function setup(options: { scale?: number; startAt?: number } = {}) {
  const source = new VirtualClock();
  const clock = new ClusterClock({ source, ...options });
  const fired: string[] = [];
  const at = (name: string, ms: number) =>
    clock.setTimeout(() => fired.push(`${name}@${clock.now()}`), ms);
  return { source, clock, fired, at };
}

describe('ClusterClock', () => {
  describe('now()', () => {
    it('runs at the scale from the start offset', () => {
      const { source, clock } = setup({ scale: 0.5, startAt: 1_000 });
      source.advance(100);
      expect(clock.now()).toBe(1_050);
    });

    it('never jumps or goes back when the scale changes', () => {
      const { source, clock } = setup();
      source.advance(100);
      clock.setScale(1 / 20);
      expect(clock.now()).toBe(100);
      source.advance(100);
      expect(clock.now()).toBe(105);
      clock.setScale(100);
      expect(clock.now()).toBe(105);
      source.advance(1);
      expect(clock.now()).toBe(205);
    });

    it('stands still while paused and carries on from there', () => {
      const { source, clock } = setup();
      source.advance(40);
      clock.pause();
      source.advance(60_000);
      expect(clock.now()).toBe(40);
      clock.resume();
      source.advance(10);
      expect(clock.now()).toBe(50);
    });
  });

  describe('setTimeout()', () => {
    it('fires at the cluster time it was set for, in slow motion', () => {
      const { source, fired, at } = setup({ scale: 1 / 50 });
      at('a', 30);
      source.advance(30 * 50 - 1);
      expect(fired).toEqual([]);
      source.advance(1);
      expect(fired).toEqual(['a@30']);
    });

    it('moves pending timers when the scale changes', () => {
      const { source, clock, fired, at } = setup();
      at('a', 100);
      source.advance(60);
      clock.setScale(1 / 10);
      source.advance(399);
      expect(fired).toEqual([]);
      source.advance(1);
      expect(fired).toEqual(['a@100']);
    });

    it('holds every timer through a pause of any length', () => {
      const { source, clock, fired, at } = setup();
      at('a', 10);
      at('b', 20);
      source.advance(5);
      clock.pause();
      source.advance(3_600_000);
      expect(fired).toEqual([]);
      clock.resume();
      source.advance(5);
      expect(fired).toEqual(['a@10']);
      source.advance(10);
      expect(fired).toEqual(['a@10', 'b@20']);
    });

    it('fires timers due together in creation order', () => {
      const { source, fired, at } = setup();
      at('b', 10);
      at('a', 5);
      at('c', 10);
      source.advance(10);
      expect(fired).toEqual(['a@5', 'b@10', 'c@10']);
    });

    it('leaves no real timer once the last one is cancelled', () => {
      const { source, clock } = setup();
      const first = clock.setTimeout(() => {}, 10);
      const second = clock.setTimeout(() => {}, 20);
      expect(source.pending).toBe(1);
      first.dispose();
      second.dispose();
      expect(clock.pending).toBe(0);
      expect(source.pending).toBe(0);
    });

    it('fires a zero-delay timer set by a callback on a later turn', () => {
      // a source that fires one real timer per call, as one loop turn does
      const alarms: (() => void)[] = [];
      const source = {
        now: () => 0,
        setTimeout(callback: () => void) {
          alarms.push(callback);
          return { dispose: () => alarms.splice(alarms.indexOf(callback), 1) };
        },
      };
      const clock = new ClusterClock({ source });
      let count = 0;
      const again = () => {
        count += 1;
        clock.setTimeout(again, 0);
      };
      clock.setTimeout(again, 0);
      alarms.shift()!();
      expect(count).toBe(1);
      expect(alarms).toHaveLength(1);
      alarms.shift()!();
      expect(count).toBe(2);
    });
  });

  describe('step()', () => {
    it('fires exactly one timer, moving time to it', () => {
      const { clock, fired, at } = setup();
      at('a', 30);
      at('b', 30);
      at('c', 45);
      clock.pause();
      expect(clock.step()).toEqual({ isFired: true, advancedMs: 30 });
      expect(fired).toEqual(['a@30']);
      expect(clock.step()).toEqual({ isFired: true, advancedMs: 0 });
      expect(clock.step()).toEqual({ isFired: true, advancedMs: 15 });
      expect(fired).toEqual(['a@30', 'b@30', 'c@45']);
      expect(clock.step()).toEqual({ isFired: false, advancedMs: 0 });
      expect(clock.now()).toBe(45);
    });

    it('is refused while the clock runs', () => {
      const { clock } = setup();
      expect(() => clock.step()).toThrow(
        expect.objectContaining({ code: 'NOT_PAUSED' }),
      );
    });
  });

  describe('advance()', () => {
    it('fires what falls due in order, including timers set on the way', () => {
      const { clock, fired, at } = setup();
      const tick = () => {
        fired.push(`tick@${clock.now()}`);
        clock.setTimeout(tick, 30);
      };
      clock.setTimeout(tick, 30);
      at('x', 50);
      clock.pause();
      expect(clock.advance(100)).toBe(4);
      expect(fired).toEqual(['tick@30', 'x@50', 'tick@60', 'tick@90']);
      expect(clock.now()).toBe(100);
    });
  });

  describe('setScale()', () => {
    it('refuses a scale that is not a positive number', () => {
      const { clock } = setup();
      for (const scale of [0, -1, Number.NaN, Infinity]) {
        expect(() => clock.setScale(scale)).toThrow(
          expect.objectContaining({ code: 'INVALID_TIME_SCALE' }),
        );
      }
    });
  });

  describe('restore()', () => {
    it('carries on from the persisted time, scale and pause', () => {
      const { source, clock } = setup({ startAt: 5_000, scale: 100 });
      source.advance(10);
      clock.pause();
      const saved = clock.snapshotState();
      expect(saved).toEqual({ time: 6_000, scale: 100, isPaused: true });

      const later = new VirtualClock();
      later.advance(123_456);
      const restored = ClusterClock.restore(saved, later);
      expect(restored.now()).toBe(6_000);
      restored.resume();
      later.advance(1);
      expect(restored.now()).toBe(6_100);
    });
  });

  describe('dispose()', () => {
    it('cancels every timer and the real one underneath', () => {
      const { source, clock, fired, at } = setup();
      at('a', 10);
      clock.dispose();
      at('b', 10);
      source.runAll();
      expect(fired).toEqual([]);
      expect(source.pending).toBe(0);
    });
  });
});
