import { existsSync } from 'node:fs';

import type { RecentWorkspace } from '../../preload/contract';

import { recentFile } from './paths';
import type { TrustStore } from './trust-store';
import {
  readVersioned,
  writeVersioned,
  type VersionedFile,
} from './versioned-json';

/** Format of the recent list; bump it when its shape changes. */
export const RECENT_FILE_VERSION = 1;

/** Workspaces the list keeps. */
export const MAX_RECENT = 10;

interface RecentEntry {
  dir: string;
  openedAt: number;
}

/** The workspaces opened lately, newest first, kept in the data folder. */
export class RecentWorkspaces {
  private readonly spec: VersionedFile<RecentEntry[]>;

  constructor(
    dataDir: string,
    private readonly trust: TrustStore,
  ) {
    const file = recentFile(dataDir);
    this.spec = {
      file,
      version: RECENT_FILE_VERSION,
      wayOut: `Delete ${file} to start the list afresh.`,
      empty: () => [],
    };
  }

  /** Puts `dir` (a real path) first. */
  async add(dir: string, openedAt = Date.now()): Promise<void> {
    const entries = await readVersioned(this.spec);
    const others = entries.filter((entry) => entry.dir !== dir);
    const next = [{ dir, openedAt }, ...others].slice(0, MAX_RECENT);
    await writeVersioned(this.spec, next);
  }

  /** Drops `dir` from the list. */
  async remove(dir: string): Promise<void> {
    const entries = await readVersioned(this.spec);
    await writeVersioned(
      this.spec,
      entries.filter((entry) => entry.dir !== dir),
    );
  }

  /** The list, with whether each folder still exists and is trusted. */
  async list(): Promise<RecentWorkspace[]> {
    const entries = await readVersioned(this.spec);
    return Promise.all(
      entries.map(async ({ dir, openedAt }) => {
        // an unreadable trust file means nothing counts as trusted
        const trusted = await this.trust.lookup(dir).catch(() => undefined);
        return {
          dir,
          openedAt,
          exists: existsSync(dir),
          isTrusted: trusted !== undefined,
        };
      }),
    );
  }
}
