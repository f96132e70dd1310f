import { useState } from 'react';
import { useStore } from 'zustand';

import { cutLink } from '../../lib/commands';
import { clusterStore } from '../../state/cluster-store';

/** One-way cuts and per-link delay and loss. */
export function LinkControls(): React.JSX.Element | null {
  const status = useStore(clusterStore, (state) => state.status);
  const busy = useStore(clusterStore, (state) => state.busy);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [delayMs, setDelayMs] = useState('0');
  const [drop, setDrop] = useState('0');
  if (status === null) {
    return null;
  }
  const ids = status.nodes.map((node) => node.id);
  const f = Number(from || ids[0]);
  const t = Number(to || ids[1] || ids[0]);
  const isSame = f === t;
  const select = (
    label: string,
    value: number,
    set: (v: string) => void,
    id: string,
  ) => (
    <label className="field">
      <span>{label}</span>
      <select
        value={value}
        onChange={(event) => set(event.target.value)}
        data-testid={id}
      >
        {ids.map((id) => (
          <option key={id} value={id}>
            n{id}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="fault-body">
      <div className="form-row">
        {select('From', f, setFrom, 'cut-from')}
        {select('To', t, setTo, 'cut-to')}
        <button
          type="button"
          disabled={busy !== null || isSame}
          onClick={() => cutLink(f, t)}
          data-testid="cut-link"
          title="Messages from → to are dropped; the other way still works"
        >
          Cut one way
        </button>
      </div>
      <div className="form-row">
        <label className="field">
          <span>Delay ms</span>
          <input
            type="number"
            min={0}
            max={10000}
            step={10}
            value={delayMs}
            onChange={(e) => setDelayMs(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Drop %</span>
          <input
            type="number"
            min={0}
            max={100}
            step={5}
            value={drop}
            onChange={(e) => setDrop(e.target.value)}
          />
        </label>
        <button
          type="button"
          disabled={busy !== null || isSame}
          onClick={() =>
            void clusterStore.getState().act(`Link ${f}→${t}`, 'cluster:link', {
              from: f,
              to: t,
              delayMs: Number(delayMs) || 0,
              drop: Math.min(1, (Number(drop) || 0) / 100),
            })
          }
        >
          Set link fault
        </button>
      </div>
      {isSame && <p className="hint">Pick two different nodes.</p>}
    </div>
  );
}
