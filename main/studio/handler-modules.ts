import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { parseHooksToml } from '../../engine/hooks/config/index';
import type { Notice } from '../../preload/contract';

import { HANDLERS_DIR } from './config-watch';
import type { NodeRegistry } from './node-registry';
import { HOOKS_FILE } from './workspace';

/** The extensions an in-process handler module may have. */
const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'];

/**
 * The `handler_id`s of a config's in-process handlers that have no module
 * in the workspace's handlers/ folder (checked after handlers/ changed,
 * so a renamed or deleted module is reported before a hook needs it).
 */
export function missingHandlerModules(
  workspaceDir: string,
  configText: string | undefined,
): string[] {
  if (configText === undefined) {
    return [];
  }
  const { config } = parseHooksToml(configText, HOOKS_FILE);
  const ids = new Set<string>();
  for (const handler of config?.handlers ?? []) {
    if (handler.type === 'in_process') {
      ids.add(handler.handler_id);
    }
  }
  const folder = join(workspaceDir, HANDLERS_DIR);
  return [...ids].filter(
    (id) =>
      !MODULE_EXTENSIONS.some((ext) => existsSync(join(folder, id + ext))),
  );
}

/**
 * After handlers/ changed: reloads the workers of every running runtime
 * and says what happened, with the modules the running config now lacks.
 * While handlers are paused there is nothing to reload.
 */
export async function reloadHandlers(
  nodes: NodeRegistry,
  workspaceDir: string,
  files: string[],
): Promise<Notice> {
  const which = `handlers/ changed (${files.join(', ')})`;
  if (nodes.isPaused) {
    const message = `${which}; handlers stay paused until you trust it`;
    return { level: 'info', message };
  }
  try {
    const count = await nodes.reloadHandlers();
    const config = nodes.mostApplied()?.hooksConfig()?.text;
    const missing = missingHandlerModules(workspaceDir, config);
    const gaps =
      missing.length === 0 ? '' : `; no module for ${missing.join(', ')}`;
    return {
      level: missing.length === 0 ? 'info' : 'warn',
      message: `${which}: handler workers reloaded on ${count} nodes${gaps}`,
    };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { level: 'error', message: `${which}: reload failed: ${why}` };
  }
}
