import type { InvokeHandlers } from '../server/router';

import { exportDiagnostics } from './diagnostics-sources';
import type { StudioService } from './studio-service';

/** The workspace channels a single service answers by itself. */
export type WorkspaceHandlers = Pick<
  InvokeHandlers,
  | 'workspace:info'
  | 'workspace:trust'
  | 'workspace:diagnostics'
  | 'config:pending'
>;

/**
 * The workspace channels about the open workspace: its info and trust,
 * its diagnostics bundle, and its hooks.toml against the running config.
 * Opening, creating and closing workspaces need the app around the
 * service (see `./workspace-host`).
 */
export function workspaceHandlers(service: StudioService): WorkspaceHandlers {
  return {
    'workspace:info': () => ({ workspace: service.workspace }),
    'workspace:trust': async ({ isTrusted }) => ({
      workspace: await service.setTrusted(isTrusted),
    }),
    'workspace:diagnostics': () => exportDiagnostics(service),
    'config:pending': () => service.configPending(),
  };
}
