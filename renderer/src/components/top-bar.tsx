import { useStore } from 'zustand';

import { appStore } from '../state/app-store';

/** Workspace, connection state and the theme switch. */
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

  return (
    <header className="top-bar">
      <span className="brand">Aspen Hook Studio</span>
      <span
        className={`status status-${connection.state}`}
        data-testid="connection-status"
        role="status"
      >
        {status}
      </span>
      <button
        type="button"
        className="theme-toggle"
        aria-label="Switch theme"
        onClick={() => appStore.getState().toggleTheme()}
      >
        {theme === 'dark' ? 'Light theme' : 'Dark theme'}
      </button>
    </header>
  );
}
