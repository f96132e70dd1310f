import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The studio's own folder in the user's home: `~/.aspen-studio`. */
export function defaultStudioHome(): string {
  return join(homedir(), '.aspen-studio');
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
