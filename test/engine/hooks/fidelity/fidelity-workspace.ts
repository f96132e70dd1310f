import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { HookComparison } from '../../../../engine/hooks/fidelity/compare';
import type { FidelityDifference } from '../../../../engine/hooks/fidelity/fidelity-differences';

/** A workspace folder with in-process handler modules. */
export interface FidelityWorkspace {
  dir: string;
  remove(): Promise<void>;
}

/** Handler modules the fidelity scenarios use, by handler_id. */
export const HANDLERS: Record<string, string> = {
  noop: 'export default () => {};\n',
  // never settles: only a timeout (or stopping the node) ends it
  hang: 'export default () => new Promise(() => {});\n',
};

export async function makeWorkspace(): Promise<FidelityWorkspace> {
  const dir = await realpath(
    await mkdtemp(join(tmpdir(), 'aspen-fidelity-ws-')),
  );
  await mkdir(join(dir, 'handlers'));
  for (const [id, source] of Object.entries(HANDLERS)) {
    await writeFile(join(dir, 'handlers', `${id}.mjs`), source);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** One hook of a comparison, by name. */
export function hookOf(
  hooks: readonly HookComparison[],
  name: string,
): HookComparison {
  const hook = hooks.find((h) => h.name === name);
  if (hook === undefined) {
    throw new Error(`no hook ${name} in the comparison`);
  }
  return hook;
}

/** The findings that explain a hook's differences, sorted. */
export function findingsOf(hook: HookComparison): string[] {
  return hook.differences
    .map((difference: FidelityDifference) => difference.finding ?? 'none')
    .sort();
}
