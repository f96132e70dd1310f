import { useStore } from 'zustand';

import { clusterStore } from '../../state/cluster-store';

import { FaultsCard } from './faults-card';
import { NodeActions } from './node-actions';
import { NodeRing } from './node-ring';
import { NodeTable } from './node-table';
import { QuorumBanner } from './quorum-banner';
import { RingLegend } from './ring-legend';

/** The cluster: the ring, every node's numbers and the fault controls. */
export function TopologyView(): React.JSX.Element {
  const hasStatus = useStore(clusterStore, (state) => state.status !== null);
  return (
    <section className="view topology" aria-labelledby="view-title">
      <header className="view-head">
        <h1 id="view-title">Topology</h1>
        <QuorumBanner />
      </header>
      {!hasStatus ? (
        <p className="empty">Waiting for the cluster to report its status…</p>
      ) : (
        <div className="topology-grid">
          <div className="ring-pane">
            <NodeRing />
            <RingLegend />
          </div>
          <div className="side-pane">
            <NodeTable />
            <NodeActions />
            <FaultsCard />
          </div>
        </div>
      )}
    </section>
  );
}
