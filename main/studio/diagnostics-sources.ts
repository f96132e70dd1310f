import { existsSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';

import { LevelStorage } from '../../engine/storage/level-storage';
import type { AspenStateMachine } from '../../engine/state/machine';
import type { WorkspaceDiagnosticsResponse } from '../../preload/contract';

import { checkDataFormats, openDataFormats } from './data-format';
import { bundleName, writeBundle, type BundleSources } from './diagnostics';
import { StudioError } from './errors';
import { diagnosticsDir, workspaceDataDir } from './paths';
import type { StudioService } from './studio-service';
import { lockWorkspace } from './workspace-lock';

/**
 * Writes a running studio's diagnostics bundle into the app's diagnostics
 * folder (or `file`).
 */
export async function exportDiagnostics(
  service: StudioService,
  file = join(diagnosticsDir(service.home), bundleName()),
): Promise<WorkspaceDiagnosticsResponse> {
  return writeBundle(await liveSources(service), file);
}

/** What a running studio puts in its bundle. */
export async function liveSources(
  service: StudioService,
): Promise<BundleSources> {
  let machine: AspenStateMachine | undefined;
  try {
    machine = service.localMachine();
  } catch {
    // every node is killed: the status still says so
  }
  const stored = machine?.hooksConfig();
  const runtimes = service.nodes.activeRuntimes();
  return {
    workspace: service.workspace.dir,
    dataDir: service.workspace.dataDir,
    source: 'live',
    applied: stored === undefined ? null : { ...stored },
    formats: await openDataFormats(service.workspace.dataDir).catch(
      () => service.formats,
    ),
    status: {
      cluster: service.status(),
      lastApplied: machine?.lastApplied ?? null,
      hooks: {
        isPaused: service.nodes.isPaused,
        runtimes: runtimes.length,
        isDispatching: runtimes.some((runtime) => runtime.isDispatching),
        metrics: runtimes.map((runtime) => runtime.metrics()),
      },
      rejections: machine?.rejections() ?? [],
    },
    notices: service.recentNotices(),
    workspaceInfo: {
      trust: {
        isTrusted: service.workspace.isTrusted,
        trustedBy: service.workspace.trustedBy,
      },
      lockHolder: service.lockHolder,
    },
  };
}

/**
 * What the CLI can tell about a workspace without running it: its data
 * folder's formats and each node's persisted state (term, vote, commit,
 * log bounds, snapshot), read under the workspace lock so no studio opens
 * it meanwhile. A workspace open elsewhere is not read; the bundle names
 * the process that has it.
 */
export async function offlineSources(
  home: string,
  workspaceDir: string,
): Promise<BundleSources> {
  let dir: string;
  try {
    dir = await realpath(workspaceDir);
  } catch {
    throw new StudioError('BAD_WORKSPACE', `${workspaceDir} does not exist`);
  }
  const dataDir = workspaceDataDir(home, dir);
  const base = {
    workspace: dir,
    dataDir,
    source: 'offline' as const,
    applied: null,
    notices: [],
    workspaceInfo: {},
  };
  if (!existsSync(dataDir)) {
    const note = 'this workspace has no cluster data yet';
    return { ...base, formats: null, status: { note } };
  }

  let lock;
  try {
    lock = await lockWorkspace(dataDir, dir, 'aspen-studio diagnostics');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const live = 'For a live status, export diagnostics from that studio.';
    const note = `${why}. ${live}`;
    return { ...base, formats: null, status: { note } };
  }
  try {
    const formats = await checkDataFormats(dataDir, dir).catch(
      (error: unknown) => ({ error: String((error as Error).message) }),
    );
    const nodes = await storedNodes(join(dataDir, 'cluster'));
    return {
      ...base,
      formats: 'error' in formats ? null : formats,
      status: {
        formatsError: 'error' in formats ? formats.error : null,
        nodes,
      },
    };
  } finally {
    await lock.release();
  }
}

async function storedNodes(clusterDir: string): Promise<unknown[]> {
  if (!existsSync(clusterDir)) {
    return [];
  }
  const names = (await readdir(clusterDir))
    .filter((name) => /^node-\d+$/.test(name))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const nodes: unknown[] = [];
  for (const name of names) {
    const id = Number(name.slice(5));
    try {
      const storage = await LevelStorage.open(join(clusterDir, name));
      try {
        const state = await storage.load();
        nodes.push({
          id,
          role: null,
          ...state.hardState,
          firstIndex: state.entries[0]?.index ?? null,
          lastIndex: state.entries.at(-1)?.index ?? null,
          snapshot: state.snapshot
            ? {
                index: state.snapshot.meta.index,
                term: state.snapshot.meta.term,
              }
            : null,
        });
      } finally {
        await storage.close();
      }
    } catch (error) {
      nodes.push({ id, error: (error as Error).message });
    }
  }
  return nodes;
}
