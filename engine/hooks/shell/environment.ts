import { AspenError } from '../../util/errors';

/** The three variables production sets for a shell handler (reference §4). */
export interface HookEventVariables {
  /** The HookEvent as compact JSON (`ASPEN_HOOK_EVENT`). */
  eventJson: string;
  /** The full topic, e.g. `hooks.kv.write_committed` (`ASPEN_HOOK_TOPIC`). */
  topic: string;
  /** The display form, e.g. `kv.write_committed` (`ASPEN_HOOK_EVENT_TYPE`). */
  eventType: string;
}

/** Variables a handler inherits from the studio's own environment. */
export const INHERITED_VARIABLES = ['PATH', 'HOME', 'LANG', 'TMPDIR'] as const;

/**
 * Linux refuses any single environment string over 32 pages
 * (MAX_ARG_STRLEN, 128 KiB) with E2BIG; macOS limits the whole block
 * (ARG_MAX, 1 MiB). We check the stricter Linux rule everywhere, so an
 * event that runs here also runs on a production node.
 */
export const MAX_ENV_STRING_BYTES = 128 * 1024;

/**
 * The environment of a shell handler: only PATH, HOME, LANG and TMPDIR from
 * the studio, what the workspace's `[studio.env]` adds, and the hook event
 * variables (DESIGN §3.4). Throws `EVENT_TOO_LARGE` with the sizes when the
 * event cannot travel in an environment variable.
 */
export function shellEnvironment(
  inherited: Record<string, string | undefined>,
  extra: Record<string, string>,
  event: HookEventVariables,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = inherited[name];
    if (value !== undefined) {
      env[name] = value;
    }
  }
  Object.assign(env, extra);
  env.ASPEN_HOOK_EVENT = event.eventJson;
  env.ASPEN_HOOK_TOPIC = event.topic;
  env.ASPEN_HOOK_EVENT_TYPE = event.eventType;

  for (const [name, value] of Object.entries(env)) {
    // the kernel counts "NAME=value" plus its terminating NUL
    const bytes = Buffer.byteLength(name) + 1 + Buffer.byteLength(value) + 1;
    if (bytes > MAX_ENV_STRING_BYTES) {
      throw new AspenError(
        'EVENT_TOO_LARGE',
        `${name} is ${formatBytes(bytes)}, over the ${formatBytes(
          MAX_ENV_STRING_BYTES,
        )} a single environment variable may hold; the shell handler ` +
          'cannot receive this event (use an in_process handler, or ' +
          'publish a smaller payload that refers to the data)',
      );
    }
  }
  return env;
}

/** `1536` → `1.5 KiB`; `200000` → `195.3 KiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${(bytes / 1024).toFixed(1)} KiB`;
  }
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
