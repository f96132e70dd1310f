import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import { dirname, join } from 'node:path';

import type { WorkspaceDiagnosticsResponse } from '../../preload/contract';

import { readConfigFile } from './config-pending';
import { supportedFormats, type DataFormats } from './data-format';
import { logsDir } from './paths';
import { tarGz, type TarEntry } from './tar-writer';
import { HOOKS_FILE } from './workspace';
import { version } from '../../package.json';

/** What a bundle is made from, live or read from disk. */
export interface BundleSources {
  /** The workspace folder (its real path). */
  workspace: string;
  /** Its data folder. */
  dataDir: string;
  /** Who made the bundle: the running studio, or the CLI offline. */
  source: 'live' | 'offline';
  /** The running config text and its version, if known. */
  applied?: { version: number; index: number; text: string } | null;
  /** Formats found on disk (the open checked them), if known. */
  formats?: DataFormats | null;
  /** The cluster status dump. */
  status: unknown;
  /** Recent notices. */
  notices: unknown[];
  /** Anything else about the workspace (trust, lock holder…). */
  workspaceInfo: unknown;
}

const README = `Aspen Hook Studio diagnostics

README.txt          this file
versions.json       studio, Node, Electron and OS versions; on-disk formats
workspace.json      the workspace, its data folder, trust and lock holder
status.json         every node's role, term and indexes; faults; hooks
notices.json        the latest notices the studio showed
config/hooks.toml   the workspace's hooks.toml as on disk (verbatim)
config/applied.toml the config the cluster runs, from its log
logs/               the studio's rotating log files for this workspace

hooks.toml and the logs are included as they are: look them over for
secrets (for example [studio.env] values) before sharing the bundle.
`;

/** The files of a diagnostics bundle, in archive order. */
export async function bundleEntries(
  sources: BundleSources,
): Promise<TarEntry[]> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const entries: TarEntry[] = [
    { name: 'README.txt', data: README },
    {
      name: 'versions.json',
      data: json({
        studio: version,
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        chrome: process.versions.chrome ?? null,
        v8: process.versions.v8,
        platform: process.platform,
        arch: process.arch,
        osRelease: release(),
        formats: {
          supported: supportedFormats(),
          found: sources.formats ?? null,
        },
      }),
    },
    {
      name: 'workspace.json',
      data: json({
        dir: sources.workspace,
        dataDir: sources.dataDir,
        source: sources.source,
        createdAt: new Date().toISOString(),
        ...(sources.workspaceInfo as object),
      }),
    },
    { name: 'status.json', data: json(sources.status) },
    { name: 'notices.json', data: json(sources.notices) },
  ];

  const onDisk = await readConfigFile(join(sources.workspace, HOOKS_FILE));
  if (onDisk.exists) {
    entries.push({ name: 'config/hooks.toml', data: onDisk.text });
  }
  if (sources.applied) {
    const { text, ...where } = sources.applied;
    entries.push({ name: 'config/applied.toml', data: text });
    entries.push({ name: 'config/applied.json', data: json(where) });
  }
  entries.push(...(await logEntries(logsDir(sources.dataDir))));
  return entries;
}

/** Writes the bundle to `file` (creating its folder). */
export async function writeBundle(
  sources: BundleSources,
  file: string,
): Promise<WorkspaceDiagnosticsResponse> {
  const entries = await bundleEntries(sources);
  const archive = await tarGz(entries);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, archive);
  return {
    file,
    bytes: archive.length,
    parts: entries.map((entry) => entry.name),
  };
}

/** A bundle's file name: the time it was made, sortable. */
export function bundleName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `aspen-diagnostics-${stamp}.tar.gz`;
}

async function logEntries(dir: string): Promise<TarEntry[]> {
  if (!existsSync(dir)) {
    return [];
  }
  const names = (await readdir(dir)).filter((n) => n.endsWith('.log')).sort();
  return Promise.all(
    names.map(async (name) => ({
      name: `logs/${name}`,
      data: await readFile(join(dir, name)),
    })),
  );
}
