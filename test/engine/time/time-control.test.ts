// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { TimeControl } from '../../../engine/time/time-control';
import { FaultPlan } from '../../../engine/transport/fault-plan';
import { VirtualClock } from '../../support/virtual-clock';

function setup(speed?: number) {
  const source = new VirtualClock();
  const faults = new FaultPlan();
  const time = new TimeControl({ source, faults, speed, jobTime: 1_000 });
  return { source, faults, time };
}

describe('TimeControl', () => {
  describe('setSpeed()', () => {
    it('slows both clocks and stretches link delays in slow motion', () => {
      const { source, faults, time } = setup();
      time.setSpeed(1 / 20);
      expect(faults.delayScale).toBe(20);
      source.advance(200);
      const state = time.timeState();
      expect(state.raft).toEqual({ time: 10, scale: 1 / 20 });
      expect(state.job).toEqual({ time: 1_010, scale: 1 / 20 });
    });

    it('speeds up job time only when fast-forwarding', () => {
      const { source, faults, time } = setup();
      time.setSpeed(100);
      expect(faults.delayScale).toBe(1);
      source.advance(50);
      const state = time.timeState();
      expect(state.raft).toEqual({ time: 50, scale: 1 });
      expect(state.job).toEqual({ time: 6_000, scale: 100 });
    });

    it('refuses speeds outside the range', () => {
      const { time } = setup();
      for (const speed of [0, 1 / 1000, 5_000, Number.NaN]) {
        expect(() => time.setSpeed(speed)).toThrow(
          expect.objectContaining({ code: 'INVALID_TIME_SCALE' }),
        );
      }
      expect(time.speed).toBe(1);
    });

    it('reports every change to subscribers', () => {
      const { time } = setup();
      const speeds: number[] = [];
      time.subscribe((event) => speeds.push(event.state.speed));
      time.setSpeed(0.5);
      time.pause();
      expect(speeds).toEqual([0.5, 0.5]);
    });
  });

  describe('pause()', () => {
    it('freezes both clocks and holds their timers', () => {
      const { source, time } = setup(10);
      const fired: string[] = [];
      time.raftClock.setTimeout(() => fired.push('tick'), 30);
      time.jobClock.setTimeout(() => fired.push('retry'), 250);
      source.advance(20);
      time.pause();
      source.advance(600_000);
      expect(fired).toEqual([]);
      expect(time.timeState()).toMatchObject({
        isPaused: true,
        raft: { time: 20 },
        job: { time: 1_200 },
      });
      time.resume();
      source.advance(10);
      expect(fired).toEqual(['retry', 'tick']);
    });
  });

  describe('step()', () => {
    it('fires one Raft timer and moves job time by the same span', () => {
      const { time } = setup(1 / 4);
      const fired: string[] = [];
      time.raftClock.setTimeout(() => fired.push('a'), 30);
      time.raftClock.setTimeout(() => fired.push('b'), 60);
      time.jobClock.setTimeout(() => fired.push('job'), 45);
      time.pause();
      expect(time.step({ kind: 'tick' })).toEqual({
        kind: 'tick',
        isDone: true,
        advancedMs: 30,
      });
      expect(fired).toEqual(['a']);
      time.step({ kind: 'tick' });
      // the tick fires first, then job time catches up
      expect(fired).toEqual(['a', 'b', 'job']);
      expect(time.timeState().job.time).toBe(1_060);
    });

    it('moves job time at the speed ratio when fast-forwarding', () => {
      const { time } = setup(100);
      time.raftClock.setTimeout(() => {}, 30);
      time.pause();
      time.step({ kind: 'tick' });
      expect(time.timeState().job.time).toBe(1_000 + 30 * 100);
    });

    it('reports nothing done when there is nothing to release', () => {
      const { time } = setup();
      time.pause();
      expect(time.step({ kind: 'message' })).toEqual({
        kind: 'message',
        isDone: false,
        advancedMs: 0,
      });
      expect(time.step({ kind: 'tick' }).isDone).toBe(false);
    });

    it('is refused while running', () => {
      const { time } = setup();
      expect(() => time.step({ kind: 'tick' })).toThrow(
        expect.objectContaining({ code: 'NOT_PAUSED' }),
      );
    });
  });
});
