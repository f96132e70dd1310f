import type { TrustSource } from '../../preload/contract';

import { checkDataFormats, type DataFormats } from './data-format';
import { workspaceDataDir } from './paths';
import { TrustStore } from './trust-store';
import { prepareWorkspace } from './workspace';
import { lockWorkspace, type WorkspaceLock } from './workspace-lock';

/** How a workspace is to be opened. */
export interface OpenOptions {
  /** The app's data folder. */
  dataDir: string;
  /** Trust the workspace (and remember it), as `serve --trust` does. */
  trust?: boolean;
  /** What kind of process holds it, for a second opener's error. */
  holder?: string;
}

/** A workspace ready for its cluster: locked, checked, trust known. */
export interface OpenedWorkspace {
  /** The folder's real path. */
  dir: string;
  isNew: boolean;
  /** Its data folder. */
  dataDir: string;
  /** The app's data folder (trust, recent list, diagnostics). */
  home: string;
  lock: WorkspaceLock;
  formats: DataFormats;
  trustStore: TrustStore;
  /** Why it is trusted, if it is. */
  trustedBy: TrustSource | null;
  /** Something the user should hear about trust (the file is unreadable). */
  trustWarning?: string;
}

/**
 * Everything that happens before a workspace's cluster starts: the folder
 * is prepared (the example goes into a new one), its data folder locked,
 * every on-disk format checked, and its trust decided. A workspace the
 * studio has just created from the example is trusted on the spot: that is
 * what "created on this machine" means. Anything failing releases the lock.
 *
 * @throws `WORKSPACE_LOCKED`, `UNSUPPORTED_FORMAT`, `BAD_WORKSPACE`.
 */
export async function openWorkspaceData(
  workspaceDir: string,
  options: OpenOptions,
): Promise<OpenedWorkspace> {
  const prepared = await prepareWorkspace(workspaceDir);
  const dataDir = workspaceDataDir(options.dataDir, prepared.dir);
  const lock = await lockWorkspace(dataDir, prepared.dir, options.holder);
  try {
    const formats = await checkDataFormats(dataDir, prepared.dir);
    const trustStore = new TrustStore(options.dataDir);
    const wanted: TrustSource | undefined = prepared.isNew
      ? 'created'
      : options.trust
        ? 'flag'
        : undefined;
    const trust = await decideTrust(trustStore, prepared.dir, wanted);
    return {
      dir: prepared.dir,
      isNew: prepared.isNew,
      dataDir,
      home: options.dataDir,
      lock,
      formats,
      trustStore,
      ...trust,
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function decideTrust(
  store: TrustStore,
  dir: string,
  wanted: TrustSource | undefined,
): Promise<Pick<OpenedWorkspace, 'trustedBy' | 'trustWarning'>> {
  try {
    if (wanted !== undefined) {
      return { trustedBy: (await store.grant(dir, wanted)).source };
    }
    return { trustedBy: (await store.lookup(dir))?.source ?? null };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    // asked for explicitly, trust holds for this run even if not recorded
    return {
      trustedBy: wanted ?? null,
      trustWarning: `workspace trust could not be read or recorded: ${why}`,
    };
  }
}
