import { expect, it } from 'vitest';

import type { TimeState } from '../../../preload/contract';
import { waitFor } from '../../support/wait-for';
import { failure, type SuiteContext } from './contract-helpers';

/** Time channels: state, speed, pause, steps, resume, and their pushes. */
export function timeChecks(s: SuiteContext): void {
  it('reports the time state of a cluster running at speed 1', async () => {
    const state = await s.api().invoke('time:state', {});
    expect(state).toMatchObject({ speed: 1, isPaused: false, heldFrames: 0 });
    expect(state.raft.scale).toBe(1);
    expect(state.job.scale).toBe(1);
  });

  it('sets the speed, pauses, steps and resumes, pushing changes', async () => {
    const pushes: TimeState[] = [];
    const stop = s.api().on('time:state', (state) => pushes.push(state));
    try {
      const slow = await s.api().invoke('time:speed', { speed: 0.05 });
      expect(slow).toMatchObject({ speed: 0.05, isPaused: false });
      expect(slow.raft.scale).toBe(0.05);
      await waitFor(() => pushes.some((p) => p.speed === 0.05), {
        what: 'a time:state push with the new speed',
      });

      const paused = await s.api().invoke('time:pause', {});
      expect(paused.isPaused).toBe(true);
      const tick = await s.api().invoke('time:step', { kind: 'tick' });
      expect(tick.isDone).toBe(true);
      expect(tick.advancedMs).toBeGreaterThanOrEqual(0);
      expect(tick.state.isPaused).toBe(true);
      const message = await s.api().invoke('time:step', { kind: 'message' });
      expect(message.state.isPaused).toBe(true);
      if (message.isDone) {
        expect(message.frame).toMatchObject({
          from: expect.any(Number),
          to: expect.any(Number),
          type: expect.any(String),
        });
      }
      await waitFor(() => pushes.some((p) => p.isPaused), {
        what: 'a paused time:state push',
      });
    } finally {
      await s.api().invoke('time:resume', {});
      await s.api().invoke('time:speed', { speed: 1 });
      stop();
    }
    const state = await s.api().invoke('time:state', {});
    expect(state).toMatchObject({ speed: 1, isPaused: false, heldFrames: 0 });
  });

  it('refuses a step while running and a speed out of range', async () => {
    const running = await failure(
      s.api().invoke('time:step', { kind: 'tick' }),
    );
    expect(running.code).toBe('NOT_PAUSED');
    const fast = await failure(s.api().invoke('time:speed', { speed: 5000 }));
    expect(fast).toEqual({
      code: 'BAD_REQUEST',
      message: 'time:speed: speed: speed is at most 1000',
    });
    const kind = await failure(
      s.api().invoke('time:step', { kind: 'forever' } as never),
    );
    expect(kind.code).toBe('BAD_REQUEST');
    expect(kind.message).toMatch(/^time:step: kind: /);
  });
}
