/**
 * Writes a config in the shapes production reads: hooks.toml (serde TOML),
 * the equivalent JSON object, and the hooks plugin's KV record (reference
 * §1.9). Keys come out in a fixed, readable order: identity, type and its
 * fields, execution settings, studio keys, then any unknown keys kept from
 * the source.
 *
 * @packageDocumentation
 */

import { PLUGIN_CONFIG_KEY } from './constants';
import { formatPath, HooksConfigError, type KeyPath } from './diagnostic';
import {
  KNOWN_KEYS,
  STUDIO_HANDLER_KEYS,
  type HookHandlerConfig,
  type HooksConfig,
} from './schema';
import { tomlPairs } from './toml-writer';

/** Export settings. */
export interface ExportOptions {
  /**
   * Leave out the `studio_*` handler keys and the `[studio]` table, for a
   * file that carries only what production reads.
   *
   * @defaultValue false
   */
  stripStudioKeys?: boolean;
}

/** The hooks plugin's config record: a KV key and its JSON value. */
export interface PluginKvRecord {
  /** Always `__hooks:config`. */
  key: string;
  /** Compact JSON, `{"is_enabled":…,"handlers":[…]}`. */
  value: string;
}

const HANDLER_ORDER = [
  'name',
  'pattern',
  'type',
  'handler_id',
  'command',
  'working_dir',
  'target_cluster',
  'target_topic',
  'execution_mode',
  'timeout_ms',
  'retry_count',
  'job_priority',
  'enabled',
  ...STUDIO_HANDLER_KEYS,
];

function ordered(
  object: Record<string, unknown>,
  first: readonly string[],
  skip: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rest = Object.keys(object).filter((key) => !first.includes(key));
  for (const key of [...first, ...rest]) {
    if (object[key] !== undefined && !skip.includes(key)) {
      out[key] = object[key];
    }
  }
  return out;
}

function handlerFields(
  handler: HookHandlerConfig,
  options: ExportOptions,
): Record<string, unknown> {
  const skip = options.stripStudioKeys ? STUDIO_HANDLER_KEYS : [];
  return ordered(handler, HANDLER_ORDER, skip);
}

/**
 * hooks.toml: `[hooks]`, one `[[hooks.handlers]]` per handler, then
 * `[studio]` and `[studio.env]`.
 *
 * @throws {@link HooksConfigError} `UNENCODABLE_HOOKS_CONFIG` when a value
 *   has no TOML form (null, a lone surrogate).
 */
export function exportToml(
  config: HooksConfig,
  options: ExportOptions = {},
): string {
  const { handlers, studio, ...hooks } = config;
  const sections = [
    ['[hooks]', ...tomlPairs(ordered(hooks, KNOWN_KEYS.config), ['hooks'])],
  ];
  handlers.forEach((handler, index) => {
    const path = ['hooks', 'handlers', index];
    const fields = handlerFields(handler, options);
    sections.push(['[[hooks.handlers]]', ...tomlPairs(fields, path)]);
  });
  if (studio !== undefined && !options.stripStudioKeys) {
    const { env, ...rest } = studio;
    const settings = ordered(rest, KNOWN_KEYS.studio);
    sections.push(['[studio]', ...tomlPairs(settings, ['studio'])]);
    if (Object.keys(env).length > 0) {
      sections.push(['[studio.env]', ...tomlPairs(env, ['studio', 'env'])]);
    }
  }
  return sections.map((lines) => `${lines.join('\n')}\n`).join('\n');
}

// JSON has no NaN or infinities; JSON.stringify would turn them into null
function checkJsonNumbers(value: unknown, path: KeyPath): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new HooksConfigError(
      'UNENCODABLE_HOOKS_CONFIG',
      `cannot write the config at ${formatPath(path)}: JSON has no ${value}`,
    );
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      checkJsonNumbers(item, [
        ...path,
        Array.isArray(value) ? Number(key) : key,
      ]);
    }
  }
}

/**
 * The JSON form: production's `HooksConfig` object, with the studio
 * settings under `studio`. TOML dates become ISO strings.
 *
 * @throws {@link HooksConfigError} `UNENCODABLE_HOOKS_CONFIG` for NaN or
 *   infinite numbers.
 */
export function exportJson(
  config: HooksConfig,
  options: ExportOptions = {},
): string {
  const skip = options.stripStudioKeys ? ['studio'] : [];
  const object = ordered(
    {
      ...config,
      handlers: config.handlers.map((handler) =>
        handlerFields(handler, options),
      ),
    },
    KNOWN_KEYS.config,
    skip,
  );
  checkJsonNumbers(object, []);
  return `${JSON.stringify(object, null, 2)}\n`;
}

/**
 * The record the hooks RPC plugin reads from KV: listing metadata only, so
 * there are no commands, handler ids or tickets in it, and no studio keys.
 */
export function exportPluginKv(config: HooksConfig): PluginKvRecord {
  const record = {
    is_enabled: config.enabled,
    handlers: config.handlers.map((handler) => ({
      name: handler.name,
      pattern: handler.pattern,
      handler_type: handler.type,
      execution_mode: handler.execution_mode,
      is_enabled: handler.enabled,
      timeout_ms: handler.timeout_ms,
      retry_count: handler.retry_count,
    })),
  };
  return { key: PLUGIN_CONFIG_KEY, value: JSON.stringify(record) };
}
