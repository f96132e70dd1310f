import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  importConfig,
  parseHooksToml,
  type HooksConfig,
} from '../../engine/hooks/config/index';
import type { AspenStateMachine } from '../../engine/state/machine';
import type { InvokeHandlers } from '../server/router';

import {
  configSchema,
  exportConfig,
  importConfigText,
  validateConfig,
} from './config-ops';
import type { StudioService } from './studio-service';
import { HOOKS_FILE } from './workspace';

type ConfigHandlers = Pick<
  InvokeHandlers,
  | 'config:get'
  | 'config:validate'
  | 'config:apply'
  | 'config:export'
  | 'config:import'
  | 'config:schema'
>;

/** Applies retried when another writer stored a version meanwhile. */
const APPLY_ATTEMPTS = 3;

/**
 * Parses a hooks.toml text that must be valid.
 *
 * @throws `INVALID_HOOKS_CONFIG` (`file:line:col: message`) on errors.
 */
export function parseConfig(text: string, file = HOOKS_FILE): HooksConfig {
  return importConfig(text, 'toml', file).config;
}

/** The config the log holds, parsed, or undefined before the first apply. */
export function appliedConfig(
  machine: AspenStateMachine,
): { version: number; config: HooksConfig } | undefined {
  const stored = machine.hooksConfig();
  if (stored === undefined) {
    return undefined;
  }
  const { config } = parseHooksToml(stored.text, HOOKS_FILE);
  // a stored text was valid when applied; a newer studio may read it
  // differently, and then it lists no hooks rather than failing
  return { version: stored.version, config: config ?? emptyConfig() };
}

/**
 * The config channels. The log's copy is what runs; the workspace's
 * hooks.toml is what the editor shows, and an apply writes both.
 */
export function configHandlers(service: StudioService): ConfigHandlers {
  const file = join(service.workspace.dir, HOOKS_FILE);

  const readWorkspaceFile = async () => {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return '';
      }
      throw error;
    }
  };

  return {
    'config:get': async () => {
      const text = await readWorkspaceFile();
      const stored = service.localMachine().hooksConfig();
      const applied = stored === undefined ? null : { ...stored };
      return {
        file,
        text,
        applied,
        isApplied: applied !== null && applied.text === text,
        diagnostics: validateConfig({ text, file: HOOKS_FILE }).diagnostics,
      };
    },
    'config:validate': (request) => validateConfig(request),
    'config:apply': async ({ text, save }) => {
      const { warnings } = importConfig(text, 'toml', HOOKS_FILE);
      let result: { version: number; index: number } | undefined;
      for (let attempt = 1; result === undefined; attempt++) {
        const current = (await service.readMachine()).hooksConfig();
        const version = (current?.version ?? 0) + 1;
        try {
          await service.propose({ t: 'hooks.config', version, text });
          const stored = (await service.readMachine()).hooksConfig();
          const index = stored?.version === version ? stored.index : 0;
          result = { version, index };
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (code !== 'CONFIG_CONFLICT' || attempt === APPLY_ATTEMPTS) {
            throw error;
          }
        }
      }
      if (save !== false) {
        // write then rename, so an editor never sees half a file
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, text);
        await rename(temp, file);
      }
      service.frames.markStatusDirty();
      return { ...result, warnings };
    },
    'config:export': async (request) =>
      exportConfig({
        ...request,
        text: request.text ?? (await readWorkspaceFile()),
      }),
    'config:import': (request) => importConfigText(request),
    'config:schema': (request) => configSchema(request),
  };
}

function emptyConfig(): HooksConfig {
  return importConfig('[hooks]\nenabled = false\n', 'toml').config;
}
