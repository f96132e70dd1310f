import { useStore } from 'zustand';

import { quorumSides } from '../lib/quorum';
import { appStore } from '../state/app-store';
import { clusterStore } from '../state/cluster-store';

import { TimeBar } from './time-bar';

function ClusterHealth(): React.JSX.Element | null {
  const status = useStore(clusterStore, (state) => state.status);
  if (status === null) {
    return null;
  }
  const running = status.nodes.filter((n) => n.state === 'running').length;
  const canCommit = quorumSides(status).some((side) => side.canCommit);
  return (
    <div className="health" data-testid="cluster-health">
      <span
        className={`health-dot ${status.leader === null ? 'bad' : canCommit ? 'good' : 'warn'}`}
        aria-hidden="true"
      />
      <span data-testid="health-leader">
        {status.leader === null ? 'no leader' : `leader n${status.leader}`}
      </span>
      <span className="muted">term {status.term}</span>
      <span className="muted">commit {status.commit}</span>
      <span className="muted">
        {running}/{status.nodes.length} up
      </span>
      {status.faults.description !== 'no faults' && (
        <span
          className="chip chip-fault"
          title={`Network faults: ${status.faults.description}`}
        >
          {status.faults.description}
        </span>
      )}
    </div>
  );
}

/** Workspace, cluster health, time, connection and the theme switch. */
export function TopBar(): React.JSX.Element {
  const connection = useStore(appStore, (state) => state.connection);
  const theme = useStore(appStore, (state) => state.theme);

  let status: string;
  if (connection.state === 'connected') {
    status = `connected (${connection.carrier}) · v${connection.version}`;
  } else if (connection.state === 'failed') {
    status = `not connected: ${connection.message}`;
  } else {
    status = 'connecting…';
  }
  const workspace =
    connection.state === 'connected' ? connection.workspace?.dir : undefined;

  return (
    <header className="top-bar">
      <span className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        Aspen Hook Studio
        <span className="local-badge" title="A local cluster on this machine">
          LOCAL
        </span>
      </span>
      {workspace !== undefined && (
        <span className="workspace" title={workspace}>
          {workspace.split('/').slice(-2).join('/')}
        </span>
      )}
      <ClusterHealth />
      <TimeBar />
      <span
        className={`status status-${connection.state}`}
        data-testid="connection-status"
        role="status"
      >
        {status}
      </span>
      <button
        type="button"
        className="ghost"
        aria-label="Switch theme"
        title="Switch theme (Alt+T)"
        onClick={() => appStore.getState().toggleTheme()}
      >
        {theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
    </header>
  );
}
