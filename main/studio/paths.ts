import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The studio's own folder: `$ASPEN_STUDIO_HOME`, or `~/.aspen-studio`.
 * The desktop app and the CLI share it, so a workspace has one set of
 * cluster data and one lock whichever front end opens it.
 */
export function defaultStudioHome(): string {
  const fromEnv = process.env.ASPEN_STUDIO_HOME;
  return fromEnv !== undefined && fromEnv !== ''
    ? fromEnv
    : join(homedir(), '.aspen-studio');
}

/** The workspace opened when none is named. */
export function defaultWorkspaceDir(home = defaultStudioHome()): string {
  return join(home, 'default-workspace');
}

/**
 * Where a workspace's cluster data lives: under the app's data folder,
 * keyed by a hash of the workspace's real path, so it stays out of the
 * workspace (and out of git and synced folders).
 */
export function workspaceDataDir(dataDir: string, realWorkspace: string) {
  const key = createHash('sha1').update(realWorkspace).digest('hex');
  return join(dataDir, 'workspaces', key);
}

/** The machine-local list of trusted workspaces. */
export function trustFile(dataDir: string): string {
  return join(dataDir, 'trusted-workspaces.json');
}

/** The list of recently opened workspaces. */
export function recentFile(dataDir: string): string {
  return join(dataDir, 'recent-workspaces.json');
}

/** Where the app writes diagnostics bundles. */
export function diagnosticsDir(dataDir: string): string {
  return join(dataDir, 'diagnostics');
}

/** The folder of a workspace's rotating log files. */
export function logsDir(workspaceData: string): string {
  return join(workspaceData, 'logs');
}
