import { readFile } from 'node:fs/promises';

import type { StoredHooksConfig } from '../../engine/state/module';
import type { AppliedConfig, ConfigPending } from '../../preload/contract';

import { validateConfig } from './config-ops';
import { diffLines } from './line-diff';
import { HOOKS_FILE } from './workspace';

/** hooks.toml as it is on disk. */
export interface ConfigFileText {
  text: string;
  exists: boolean;
}

/** Reads a workspace's hooks.toml; a missing one reads as ''. */
export async function readConfigFile(file: string): Promise<ConfigFileText> {
  try {
    return { text: await readFile(file, 'utf8'), exists: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { text: '', exists: false };
    }
    throw error;
  }
}

/**
 * The file against what the cluster runs: validated (with line and column),
 * and diffed line by line from the running config to the file.
 */
export function pendingConfig(
  file: string,
  onDisk: ConfigFileText,
  stored: StoredHooksConfig | undefined,
): ConfigPending {
  const applied: AppliedConfig | null =
    stored === undefined
      ? null
      : { version: stored.version, text: stored.text, index: stored.index };
  const { isValid, diagnostics } = validateConfig({
    text: onDisk.text,
    file: HOOKS_FILE,
  });
  const isApplied = applied !== null && applied.text === onDisk.text;
  return {
    file,
    text: onDisk.text,
    exists: onDisk.exists,
    applied,
    isApplied,
    isValid,
    diagnostics,
    diff: isApplied ? [] : diffLines(applied?.text ?? '', onDisk.text),
  };
}
