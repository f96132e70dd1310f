import { createStore } from 'zustand/vanilla';

import type { TimeState, TimeStepRequest } from '../../../preload/contract';
import { describeError, invoke } from '../api';

import { noticeStore } from './notice-store';

/** The speeds the time bar offers, slowest first. */
export const SPEEDS = [
  { value: 1 / 50, label: '1/50×' },
  { value: 1 / 20, label: '1/20×' },
  { value: 1 / 5, label: '1/5×' },
  { value: 1, label: '1×' },
  { value: 10, label: '10×' },
  { value: 100, label: '100×' },
] as const;

// slower than this, drawn messages would crawl for minutes
const MAX_STRETCH = 20;

interface TimeStoreState {
  /** Where time control stands, or null before the first answer. */
  state: TimeState | null;
  /** When the state was last received (wall ms), to run the clocks on. */
  receivedAt: number;
  setState(state: TimeState): void;
  setSpeed(speed: number): Promise<void>;
  togglePause(): Promise<void>;
  step(kind: TimeStepRequest['kind']): Promise<void>;
  /** Moves one entry along {@link SPEEDS} (-1 slower, 1 faster). */
  nudge(direction: -1 | 1): Promise<void>;
}

/** The cluster's time control, as the time bar shows and drives it. */
export const timeStore = createStore<TimeStoreState>()((set, get) => {
  const run = async (label: string, send: () => Promise<TimeState>) => {
    try {
      get().setState(await send());
    } catch (error) {
      noticeStore.getState().push('error', `${label}: ${describeError(error)}`);
    }
  };
  return {
    state: null,
    receivedAt: 0,
    setState: (state) => set({ state, receivedAt: Date.now() }),
    setSpeed: (speed) =>
      run('Set speed', () => invoke('time:speed', { speed })),
    togglePause: () => {
      const isPaused = get().state?.isPaused ?? false;
      return isPaused
        ? run('Resume', () => invoke('time:resume', {}))
        : run('Pause', () => invoke('time:pause', {}));
    },
    step: async (kind) => {
      if (get().state?.isPaused !== true) {
        await run('Pause', () => invoke('time:pause', {}));
      }
      await run(`Step ${kind}`, async () => {
        const result = await invoke('time:step', { kind });
        return result.state;
      });
    },
    nudge: async (direction) => {
      const speed = get().state?.speed ?? 1;
      const at = SPEEDS.findIndex((s) => Math.abs(s.value - speed) < 1e-9);
      const from = at === -1 ? SPEEDS.findIndex((s) => s.value === 1) : at;
      const next = SPEEDS[from + direction];
      if (next !== undefined) {
        await get().setSpeed(next.value);
      }
    },
  };
});

/**
 * How many times slower than real time the Raft side plays (1 at full
 * speed or faster), capped so drawn messages still finish.
 */
export function slowMotion(): number {
  const speed = timeStore.getState().state?.speed ?? 1;
  return Math.min(MAX_STRETCH, 1 / Math.min(1, speed));
}
