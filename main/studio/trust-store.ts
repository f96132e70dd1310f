import { stat } from 'node:fs/promises';

import type { TrustSource } from '../../preload/contract';

import { StudioError } from './errors';
import { trustFile } from './paths';
import {
  readVersioned,
  writeVersioned,
  type VersionedFile,
} from './versioned-json';

/** Format of the trust file; bump it when its shape changes. */
export const TRUST_FILE_VERSION = 1;

/** One trusted workspace. */
export interface TrustEntry {
  /** The workspace's real path. */
  dir: string;
  /**
   * Device and inode of the folder when it was trusted: a folder deleted
   * and replaced at the same path (a fresh clone) is a different folder.
   */
  identity: string;
  source: TrustSource;
  /** When it was trusted (Unix ms). */
  at: number;
}

/**
 * The machine-local record of trusted workspaces, in the app's data
 * folder (never in the workspace, where it would travel with a copy).
 * A workspace is trusted when an entry has its real path and the folder
 * is still the one that was trusted. Modelled on VS Code's workspace
 * trust: opening a folder must not run its commands (DESIGN §6).
 */
export class TrustStore {
  private readonly spec: VersionedFile<TrustEntry[]>;

  constructor(dataDir: string) {
    const file = trustFile(dataDir);
    this.spec = {
      file,
      version: TRUST_FILE_VERSION,
      wayOut:
        'Open the workspace with the studio that wrote it, or delete ' +
        `${file} (every workspace is then untrusted until trusted again).`,
      empty: () => [],
    };
  }

  /** The entry that trusts `dir` (a real path), if one still does. */
  async lookup(dir: string): Promise<TrustEntry | undefined> {
    const entry = (await readVersioned(this.spec)).find((e) => e.dir === dir);
    if (entry === undefined) {
      return undefined;
    }
    const identity = await folderIdentity(dir);
    const isSame = identity !== undefined && identity === entry.identity;
    return isSame ? entry : undefined;
  }

  /** Trusts `dir` (a real path) from now on. */
  async grant(dir: string, source: TrustSource): Promise<TrustEntry> {
    const entries = await readVersioned(this.spec);
    const identity = await folderIdentity(dir);
    if (identity === undefined) {
      throw new StudioError('BAD_WORKSPACE', `${dir} does not exist`);
    }
    const entry: TrustEntry = {
      dir,
      identity,
      source,
      at: Date.now(),
    };
    const others = entries.filter((e) => e.dir !== dir);
    await writeVersioned(this.spec, [...others, entry]);
    return entry;
  }

  /** Takes the trust of `dir` back. */
  async revoke(dir: string): Promise<void> {
    const entries = await readVersioned(this.spec);
    const others = entries.filter((e) => e.dir !== dir);
    if (others.length !== entries.length) {
      await writeVersioned(this.spec, others);
    }
  }
}

async function folderIdentity(dir: string): Promise<string | undefined> {
  try {
    const info = await stat(dir);
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}
