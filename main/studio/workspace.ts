import { existsSync } from 'node:fs';
import { mkdir, readdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { StudioError } from './errors';
import { EXAMPLE_FILES } from './workspace-example';

/** The config file of a workspace. */
export const HOOKS_FILE = 'hooks.toml';

/** A workspace folder ready to use. */
export interface PreparedWorkspace {
  /** The folder's real path (symlinks resolved): the key of its data. */
  dir: string;
  /** True when this call created it with the example. */
  isNew: boolean;
}

/**
 * Makes sure `dir` is a workspace: creates it with the example when it is
 * missing or empty, and leaves an existing one alone. A folder that holds
 * other files but no hooks.toml is used as it is (the config can be
 * written from the editor), never filled with the example over them.
 */
export async function prepareWorkspace(
  dir: string,
): Promise<PreparedWorkspace> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new StudioError('BAD_WORKSPACE', `cannot create ${dir}: ${why}`);
  }
  const real = await realpath(dir);
  const entries = await readdir(real);
  const isEmpty = entries.filter((name) => !name.startsWith('.')).length === 0;
  if (!isEmpty || existsSync(join(real, HOOKS_FILE))) {
    return { dir: real, isNew: false };
  }
  for (const [name, text] of Object.entries(EXAMPLE_FILES)) {
    const path = join(real, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { flag: 'wx' });
  }
  return { dir: real, isNew: true };
}
