import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { ConfState, NodeId } from '../raft/types';
import { AspenError } from '../util/errors';

/** The manifest's own format version; a newer one is refused. */
export const MANIFEST_VERSION = 1;

/**
 * What a local cluster keeps beside its nodes' databases so that a whole
 * cluster restart finds the same nodes: the ids in use (never reused) and
 * the membership it was created with.
 */
export interface ClusterManifest {
  version: number;
  clusterId: string;
  /** The next id to hand out; ids are never reused. */
  nextId: NodeId;
  /** Nodes that have a data directory (members or not yet removed). */
  nodes: NodeId[];
  /** Membership when the cluster was created. */
  initialConf: ConfState;
}

const FILE = 'cluster.json';

/** Reads the manifest in `dir`, or undefined for a new cluster. */
export async function readManifest(
  dir: string,
): Promise<ClusterManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
  const manifest = JSON.parse(text) as ClusterManifest;
  if (manifest.version > MANIFEST_VERSION) {
    throw new AspenError(
      'UNSUPPORTED_FORMAT',
      `${join(dir, FILE)} has format version ${manifest.version}; this ` +
        `studio reads up to ${MANIFEST_VERSION}. Export your config, then ` +
        `reset the cluster data (delete ${dir}).`,
    );
  }
  return manifest;
}

/** Writes the manifest atomically (write to a temp file, then rename). */
export async function writeManifest(
  dir: string,
  manifest: ClusterManifest,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(manifest, null, 2));
  await rename(`${path}.tmp`, path);
}
