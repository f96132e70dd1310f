import { useEffect, useState } from 'react';
import { useStore } from 'zustand';

import { SPEEDS, timeStore } from '../state/time-store';

// how often the shown clocks move on between pushes; a redraw rate only
const REDRAW_MS = 250;

function clockText(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/** Cluster (job) time and wall time, run on locally between pushes. */
function Clocks(): React.JSX.Element | null {
  const state = useStore(timeStore, (s) => s.state);
  const receivedAt = useStore(timeStore, (s) => s.receivedAt);
  const [wall, setWall] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setWall(Date.now()), REDRAW_MS);
    return () => clearInterval(timer);
  }, []);
  if (state === null) {
    return null;
  }
  const ran = state.isPaused ? 0 : Math.max(0, wall - receivedAt);
  const cluster = state.job.time + ran * state.job.scale;
  return (
    <span className="time-clocks muted">
      <span title="Cluster time (job clock)" data-testid="time-cluster">
        cluster {clockText(cluster)}
      </span>
      <span title="Wall time (UTC)">wall {clockText(wall)}</span>
    </span>
  );
}

/**
 * The time bar: speed, pause and resume, single steps (a Raft tick or one
 * held message), and the two clocks. Slow motion stretches Raft timing
 * and link delays; speeds above 1× fast-forward job time only.
 */
export function TimeBar(): React.JSX.Element {
  const state = useStore(timeStore, (s) => s.state);
  const store = timeStore.getState();
  const speed = state?.speed ?? 1;
  const isPaused = state?.isPaused ?? false;
  const known = SPEEDS.some((s) => Math.abs(s.value - speed) < 1e-9);
  return (
    <div
      className={`time-bar${isPaused ? ' time-paused' : ''}`}
      data-testid="time-bar"
    >
      <select
        aria-label="Speed"
        title="Speed ([ slower, ] faster)"
        data-testid="time-speed"
        value={known ? String(speed) : 'other'}
        onChange={(event) => void store.setSpeed(Number(event.target.value))}
      >
        {!known && <option value="other">{speed}×</option>}
        {SPEEDS.map((s) => (
          <option key={s.label} value={String(s.value)}>
            {s.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="ghost"
        data-testid="time-pause"
        aria-pressed={isPaused}
        title={isPaused ? 'Resume (Alt+P)' : 'Pause (Alt+P)'}
        onClick={() => void store.togglePause()}
      >
        {isPaused ? '▶ Resume' : '❚❚ Pause'}
      </button>
      <button
        type="button"
        className="ghost"
        data-testid="time-step-tick"
        title="Step one Raft tick (.); pauses first"
        onClick={() => void store.step('tick')}
      >
        Tick ›
      </button>
      <button
        type="button"
        className="ghost"
        data-testid="time-step-message"
        title="Deliver one held message (,); pauses first"
        onClick={() => void store.step('message')}
      >
        Msg ›
      </button>
      {isPaused && (
        <span className="chip chip-paused" data-testid="time-paused">
          PAUSED · {state?.heldFrames ?? 0} held
        </span>
      )}
      <Clocks />
    </div>
  );
}
