import { useState } from 'react';
import { useStore } from 'zustand';

import { clusterStore } from '../../state/cluster-store';

/**
 * Splits the cluster in two: drag node chips between the sides, or tick
 * them and move them with the button; then apply.
 */
export function PartitionBuilder(): React.JSX.Element | null {
  const status = useStore(clusterStore, (state) => state.status);
  const busy = useStore(clusterStore, (state) => state.busy);
  const [sideB, setSideB] = useState<ReadonlySet<number>>(new Set());
  const [dragging, setDragging] = useState<number | null>(null);
  if (status === null) {
    return null;
  }
  const ids = status.nodes.map((node) => node.id);
  const b = ids.filter((id) => sideB.has(id));
  const a = ids.filter((id) => !sideB.has(id));
  const move = (id: number, toB: boolean) => {
    const next = new Set(sideB);
    if (toB) {
      next.add(id);
    } else {
      next.delete(id);
    }
    setSideB(next);
  };
  const drop = (toB: boolean) => (event: React.DragEvent) => {
    event.preventDefault();
    const id = Number(event.dataTransfer.getData('text/plain'));
    if (Number.isInteger(id) && id > 0) {
      move(id, toB);
    }
    setDragging(null);
  };
  const column = (label: string, list: number[], isB: boolean) => (
    <div
      className={`side ${dragging !== null ? 'droppable' : ''}`}
      onDragOver={(event) => event.preventDefault()}
      onDrop={drop(isB)}
      aria-label={label}
      role="list"
      data-testid={isB ? 'side-b' : 'side-a'}
    >
      <div className="side-title">{label}</div>
      {list.length === 0 && <div className="hint">drop nodes here</div>}
      {list.map((id) => (
        <button
          key={id}
          type="button"
          role="listitem"
          className="chip chip-node"
          draggable
          onDragStart={(event) => {
            event.dataTransfer.setData('text/plain', String(id));
            setDragging(id);
          }}
          onDragEnd={() => setDragging(null)}
          onClick={() => move(id, !isB)}
          aria-label={`n${id}: move to ${isB ? 'side A' : 'side B'}`}
          data-testid={`partition-chip-${id}`}
        >
          n{id} {isB ? '←' : '→'}
        </button>
      ))}
    </div>
  );

  return (
    <div className="fault-body">
      <p className="hint">
        Drag nodes between the sides, or click one to move it; then apply.
      </p>
      <div className="sides">
        {column('Side A', a, false)}
        {column('Side B', b, true)}
      </div>
      <div className="button-row">
        <button
          type="button"
          disabled={busy !== null || a.length === 0 || b.length === 0}
          onClick={() =>
            void clusterStore
              .getState()
              .act('Partition', 'cluster:partition', { groups: [a, b] })
          }
          data-testid="apply-partition"
        >
          Apply partition
        </button>
        <button
          type="button"
          className="ghost"
          onClick={() => setSideB(new Set())}
        >
          Reset
        </button>
      </div>
    </div>
  );
}
