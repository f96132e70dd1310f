import { resolve } from 'node:path';

import type { Fidelity } from '../dispatch/dispatch-config';
import {
  shellEnvironment,
  type HookEventVariables,
} from '../shell/environment';

/**
 * Where a shell handler runs and with what environment, under either
 * fidelity. The studio's rules (DESIGN §3.4): PATH, HOME, LANG, TMPDIR,
 * `[studio.env]` and the hook variables, in the workspace. Production's
 * (reference §4): the node's whole environment plus the hook variables,
 * in the node's working directory, which a relative `working_dir` is
 * resolved against; `[studio.env]` is part of the `[studio]` table that
 * production never reads.
 *
 * @packageDocumentation
 */

/** What {@link shellContext} needs. */
export interface ShellContextInput {
  fidelity: Fidelity;
  /** The studio's own process environment (the node's, in production). */
  inherited: Record<string, string | undefined>;
  /** `[studio.env]` of the config in force. */
  studioEnv: Record<string, string>;
  /** The workspace folder. */
  workspaceDir: string;
  /** The handler's `working_dir`, or null. */
  workingDir: string | null;
  variables: HookEventVariables;
  /** The node's working directory. @defaultValue process.cwd() */
  nodeCwd?: string;
}

/** A shell handler's environment and absolute working directory. */
export interface ShellContext {
  env: Record<string, string>;
  cwd: string;
}

/**
 * The environment and working directory of one shell attempt.
 *
 * @throws AspenError `EVENT_TOO_LARGE` when a variable, the event most
 *   likely, is too large for an environment string (see shellEnvironment).
 */
export function shellContext(input: ShellContextInput): ShellContext {
  const { inherited, variables, workingDir } = input;
  if (input.fidelity === 'studio') {
    return {
      env: shellEnvironment(inherited, input.studioEnv, variables),
      cwd: resolve(input.workspaceDir, workingDir ?? '.'),
    };
  }
  const whole: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (value !== undefined) {
      whole[name] = value;
    }
  }
  // everything passes as "extra", so the size check still applies: a
  // node would fail the spawn with E2BIG where the studio says why
  return {
    env: shellEnvironment(inherited, whole, variables),
    cwd: resolve(input.nodeCwd ?? process.cwd(), workingDir ?? '.'),
  };
}
