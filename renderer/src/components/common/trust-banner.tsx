import { useEffect, useState } from 'react';

import type { WorkspaceInfo } from '../../../../preload/contract-workspace';
import { describeError, invoke, studioApi } from '../../api';

/**
 * Shown while the open workspace is not trusted: its handlers are paused
 * (events still flow and are recorded) until the user trusts it, as VS
 * Code's workspace trust does (docs/workspaces.md).
 */
export function TrustBanner(): React.JSX.Element | null {
  const [workspace, setWorkspace] = useState<WorkspaceInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let isLive = true;
    invoke('workspace:info', {})
      .then((state) => isLive && setWorkspace(state.workspace))
      .catch(() => {});
    const off = studioApi().on('workspace:changed', (changed) =>
      setWorkspace(changed.workspace),
    );
    return () => {
      isLive = false;
      off();
    };
  }, []);

  if (workspace === null || workspace.isTrusted) {
    return null;
  }

  const trust = () => {
    invoke('workspace:trust', { isTrusted: true })
      .then((state) => setWorkspace(state.workspace))
      .catch((caught: unknown) => setError(describeError(caught)));
  };

  return (
    <div className="trust-banner" role="alert" data-testid="trust-banner">
      <span>
        Handlers are paused: this workspace was not created on this machine, so
        its commands do not run until you trust it. Events still flow and are
        recorded.
      </span>
      <button type="button" onClick={trust}>
        Trust this workspace
      </button>
      {error !== null && <span className="trust-error">{error}</span>}
    </div>
  );
}
