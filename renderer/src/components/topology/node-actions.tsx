import { useStore } from 'zustand';

import {
  addNode,
  healNetwork,
  isolateNode,
  killNode,
  restartNode,
  transferTo,
} from '../../lib/commands';
import { hasFaults } from '../../lib/quorum';
import { clusterStore } from '../../state/cluster-store';

/** Controls for the selected node and the cluster as a whole. */
export function NodeActions(): React.JSX.Element | null {
  const status = useStore(clusterStore, (state) => state.status);
  const selected = useStore(clusterStore, (state) => state.selected);
  const busy = useStore(clusterStore, (state) => state.busy);
  if (status === null) {
    return null;
  }
  const node = status.nodes.find((n) => n.id === selected);
  const isBusy = busy !== null;
  const leader = status.leader;

  return (
    <section className="card" aria-labelledby="node-actions-title">
      <h2 id="node-actions-title" className="card-title">
        {node === undefined ? 'Cluster' : `Node n${node.id}`}
        {busy !== null && <span className="busy">{busy}…</span>}
      </h2>
      {node === undefined ? (
        <p className="hint">
          Select a node on the ring (or ← →) to kill, restart, isolate or hand
          it leadership.
        </p>
      ) : (
        <div className="button-row">
          {node.state === 'running' ? (
            <button
              type="button"
              className="danger"
              disabled={isBusy}
              onClick={() => killNode(node.id)}
            >
              Kill <kbd>k</kbd>
            </button>
          ) : (
            <button
              type="button"
              disabled={isBusy}
              onClick={() => restartNode(node.id)}
            >
              Restart <kbd>r</kbd>
            </button>
          )}
          <button
            type="button"
            disabled={isBusy || node.state !== 'running'}
            onClick={() => isolateNode(node.id)}
          >
            Isolate <kbd>i</kbd>
          </button>
          <button
            type="button"
            disabled={
              isBusy ||
              node.state !== 'running' ||
              node.id === leader ||
              !node.isVoter
            }
            onClick={() => transferTo(node.id)}
          >
            Make leader <kbd>t</kbd>
          </button>
          <button
            type="button"
            className="danger"
            disabled={isBusy || status.nodes.length <= 1}
            onClick={() =>
              void clusterStore
                .getState()
                .act(`Remove node ${node.id}`, 'cluster:remove', {
                  node: node.id,
                })
            }
          >
            Remove
          </button>
        </div>
      )}
      <div className="button-row">
        <button
          type="button"
          className="danger"
          disabled={isBusy || leader === null}
          onClick={() => killNode(leader ?? undefined)}
          data-testid="kill-leader"
        >
          Kill leader{leader === null ? '' : ` (n${leader})`}
        </button>
        <button type="button" disabled={isBusy} onClick={() => addNode()}>
          Add node <kbd>a</kbd>
        </button>
        <button type="button" disabled={isBusy} onClick={() => addNode(true)}>
          Add learner
        </button>
        <button
          type="button"
          disabled={isBusy || !hasFaults(status)}
          onClick={healNetwork}
          data-testid="heal"
        >
          Heal network <kbd>h</kbd>
        </button>
      </div>
    </section>
  );
}
