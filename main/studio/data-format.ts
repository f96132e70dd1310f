import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import {
  MANIFEST_VERSION,
  readManifest,
} from '../../engine/cluster/cluster-manifest';
import { UnsupportedFormatError } from '../../engine/storage/errors';
import { FORMAT_VERSION } from '../../engine/storage/level-codec';
import { LevelStorage } from '../../engine/storage/level-storage';
import { ENVELOPE_VERSION } from '../../engine/state/envelope';
import { GROUPS_SNAPSHOT_VERSION } from '../../engine/state/groups/snapshot';
import { JOBS_SNAPSHOT_VERSION } from '../../engine/state/jobs/snapshot';
import { SNAPSHOT_FORMAT } from '../../engine/state/machine-image';
import { PROTOCOL_VERSION } from '../../engine/transport/codec';

import { RECENT_FILE_VERSION } from './recent-workspaces';
import { TRUST_FILE_VERSION } from './trust-store';
import {
  readVersioned,
  writeVersioned,
  type VersionedFile,
} from './versioned-json';

/** Format of a workspace's data folder as a whole (`workspace.json`). */
export const WORKSPACE_DATA_VERSION = 1;

/** What `workspace.json` in a workspace's data folder records. */
export interface WorkspaceRecord {
  /** The workspace's real path (the folder name is only its hash). */
  workspace: string;
  /** When this data folder was made (Unix ms). */
  createdAt: number;
}

/** The formats found in a workspace's data folder, for diagnostics. */
export interface DataFormats {
  workspaceData: number;
  /** Each local cluster (the main one, forward targets) and its nodes. */
  clusters: { dir: string; manifest: number | null; nodes: string[] }[];
  /** Every node database passed the check at this storage version. */
  storage: number;
}

/**
 * Checks every format version in a workspace's data folder before any
 * node starts, and records the folder's own version in a new one. A
 * version this build does not read is refused with the engine's
 * explanation and way out (export the config, reset the data); nothing on
 * disk is changed, so the studio that wrote it still opens it.
 *
 * The node databases are opened and closed here, one at a time, rather
 * than left to the cluster to find: a cluster that fails on its second
 * node has its first already running.
 *
 * @throws `UNSUPPORTED_FORMAT` naming the folder, the versions and the
 *   way out.
 */
export async function checkDataFormats(
  dataDir: string,
  workspace: string,
): Promise<DataFormats> {
  const spec: VersionedFile<WorkspaceRecord | null> = {
    file: join(dataDir, 'workspace.json'),
    version: WORKSPACE_DATA_VERSION,
    wayOut: '',
    empty: () => null,
    refuse: (found) =>
      new UnsupportedFormatError(dataDir, found, WORKSPACE_DATA_VERSION),
  };
  const record = await readVersioned(spec);
  if (record === null) {
    await writeVersioned(spec, { workspace, createdAt: Date.now() });
  }

  return scanClusters(dataDir, true);
}

/**
 * The formats in the data folder of a workspace this process has open:
 * the manifests are read again, the node databases (open, so locked) are
 * known to be at this build's version.
 */
export function openDataFormats(dataDir: string): Promise<DataFormats> {
  return scanClusters(dataDir, false);
}

async function scanClusters(
  dataDir: string,
  isCheckingStorage: boolean,
): Promise<DataFormats> {
  const clusters: DataFormats['clusters'] = [];
  for (const dir of await clusterDirs(dataDir)) {
    const manifest = await readManifest(dir);
    const nodes = (await readdir(dir)).filter((n) => /^node-\d+$/.test(n));
    for (const node of isCheckingStorage ? nodes : []) {
      const storage = await LevelStorage.open(join(dir, node));
      await storage.close();
    }
    clusters.push({ dir, manifest: manifest?.version ?? null, nodes });
  }
  return {
    workspaceData: WORKSPACE_DATA_VERSION,
    clusters,
    storage: FORMAT_VERSION,
  };
}

/** The format versions this build reads and writes, by what they cover. */
export function supportedFormats(): Record<string, number> {
  return {
    workspaceData: WORKSPACE_DATA_VERSION,
    clusterManifest: MANIFEST_VERSION,
    storage: FORMAT_VERSION,
    stateSnapshot: SNAPSHOT_FORMAT,
    jobsSnapshot: JOBS_SNAPSHOT_VERSION,
    groupsSnapshot: GROUPS_SNAPSHOT_VERSION,
    commandEnvelope: ENVELOPE_VERSION,
    peerProtocol: PROTOCOL_VERSION,
    trustFile: TRUST_FILE_VERSION,
    recentFile: RECENT_FILE_VERSION,
  };
}

async function clusterDirs(dataDir: string): Promise<string[]> {
  const dirs: string[] = [];
  if (existsSync(join(dataDir, 'cluster'))) {
    dirs.push(join(dataDir, 'cluster'));
  }
  const targets = join(dataDir, 'targets');
  if (existsSync(targets)) {
    const names = (await readdir(targets)).sort();
    dirs.push(...names.map((name) => join(targets, name)));
  }
  return dirs;
}
