import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { ClassicLevel } from 'classic-level';

import { StudioError } from './errors';

/** Who holds a workspace, as the lock records it. */
export interface LockHolder {
  /** What kind of process: `aspen-studio serve`, the desktop app… */
  what: string;
  pid: number;
  host: string;
  /** When it took the lock (ISO 8601). */
  startedAt: string;
}

/** A held workspace lock; release it when the service closes. */
export interface WorkspaceLock {
  readonly holder: LockHolder;
  release(): Promise<void>;
}

/** The lock's folder inside a workspace's data folder. */
export const LOCK_DIR = 'studio.lock';

/** The file beside it that names the holder. */
export const HOLDER_FILE = 'studio.lock.json';

/**
 * Takes the one-process-per-workspace lock in the workspace's data
 * folder. The lock itself is LevelDB's: an OS file lock on a tiny
 * database, which the OS drops the moment its process dies, so a crashed
 * studio never leaves a stale lock and a reused pid never looks alive.
 * A file beside it names the holder, for the error a second opener gets.
 *
 * @throws `WORKSPACE_LOCKED` naming the holder (what, pid, host, since).
 */
export async function lockWorkspace(
  dataDir: string,
  workspace: string,
  what = 'a studio',
): Promise<WorkspaceLock> {
  await mkdir(dataDir, { recursive: true });
  const lockDir = join(dataDir, LOCK_DIR);
  // earlier builds kept a pid file under this name
  if ((await stat(lockDir).catch(() => undefined))?.isFile()) {
    await rm(lockDir, { force: true });
  }
  const db = new ClassicLevel(lockDir);
  try {
    await db.open();
  } catch (error) {
    if (!hasCode(error, 'LEVEL_LOCKED')) {
      const why = error instanceof Error ? error.message : String(error);
      throw new StudioError(
        'BAD_WORKSPACE',
        `cannot lock ${workspace} in ${dataDir}: ${why}`,
        { cause: error },
      );
    }
    throw lockedError(workspace, await readHolder(dataDir));
  }

  const holder: LockHolder = {
    what,
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
  };
  const file = join(dataDir, HOLDER_FILE);
  await writeFile(file, `${JSON.stringify(holder)}\n`);
  let isReleased = false;
  return {
    holder,
    async release() {
      if (isReleased) {
        return;
      }
      isReleased = true;
      // the name goes first: once the lock is free, a newcomer writes its own
      await rm(file, { force: true });
      await db.close();
    },
  };
}

/** The holder the lock file names, if it names one. */
export async function readHolder(
  dataDir: string,
): Promise<LockHolder | undefined> {
  try {
    const text = await readFile(join(dataDir, HOLDER_FILE), 'utf8');
    const holder = JSON.parse(text) as Partial<LockHolder>;
    if (typeof holder.pid !== 'number' || typeof holder.host !== 'string') {
      return undefined;
    }
    return {
      what: String(holder.what ?? 'a studio'),
      pid: holder.pid,
      host: holder.host,
      startedAt: String(holder.startedAt ?? 'unknown'),
    };
  } catch {
    return undefined;
  }
}

function lockedError(workspace: string, holder?: LockHolder): StudioError {
  // the holder writes its name just after taking the lock
  const who =
    holder === undefined
      ? 'another studio process that is starting'
      : `${holder.what} (pid ${holder.pid} on ${holder.host}, ` +
        `since ${holder.startedAt})`;
  return new StudioError(
    'WORKSPACE_LOCKED',
    `${workspace} is already open in ${who}; close it there first`,
  );
}

function hasCode(error: unknown, code: string): boolean {
  for (let e = error; typeof e === 'object' && e !== null;) {
    if ((e as { code?: unknown }).code === code) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
