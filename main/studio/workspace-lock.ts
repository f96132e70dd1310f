import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { StudioError } from './errors';

/** A held workspace lock; release it when the service closes. */
export interface WorkspaceLock {
  release(): Promise<void>;
}

/**
 * Takes the one-process-per-workspace lock: a file holding our pid. A lock
 * whose process is gone (the studio was killed) is taken over; a live one
 * is refused with the pid that holds it.
 */
export async function lockWorkspace(
  file: string,
  workspace: string,
): Promise<WorkspaceLock> {
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => releaseIfOurs(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const holder = Number((await readText(file)).trim());
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new StudioError(
        'WORKSPACE_LOCKED',
        `${workspace} is open in another studio process (pid ${holder}); ` +
          'close it there first',
      );
    }
    await rm(file, { force: true });
  }
  throw new StudioError('WORKSPACE_LOCKED', `cannot lock ${workspace}`);
}

async function releaseIfOurs(file: string): Promise<void> {
  if ((await readText(file)).trim() === String(process.pid)) {
    await rm(file, { force: true });
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
