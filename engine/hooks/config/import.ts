/**
 * Reads a config written for production (or exported by the studio) and
 * refuses it when it has errors, so that nothing invalid reaches a cluster.
 *
 * @packageDocumentation
 */

import { HooksConfigError, type Diagnostic } from './diagnostic';
import { parseHooksJson, parseHooksToml } from './parse';
import type { HooksConfig } from './schema';

/** The two text forms a config can be imported from. */
export type ConfigFormat = 'toml' | 'json';

/** An imported config and what is worth telling the user about it. */
export interface ImportResult {
  /** The config, with serde's defaults filled in. */
  config: HooksConfig;
  /** Warnings only; any error makes the import throw. */
  warnings: Diagnostic[];
}

/**
 * Imports hooks.toml or its JSON form. `importConfig(exportToml(x),
 * 'toml').config` equals `x` for every valid config, and likewise for JSON.
 *
 * @param text - The file contents.
 * @param format - Which form the text is in.
 * @param fileName - Named in diagnostics; defaults to `hooks.<format>`.
 * @throws {@link HooksConfigError} `INVALID_HOOKS_CONFIG`, carrying every
 *   diagnostic, when the text has a syntax, schema or validation error.
 */
export function importConfig(
  text: string,
  format: ConfigFormat,
  fileName = `hooks.${format}`,
): ImportResult {
  const parse = format === 'toml' ? parseHooksToml : parseHooksJson;
  const { config, diagnostics } = parse(text, fileName);
  if (config === undefined) {
    const errors = diagnostics.filter((item) => item.severity === 'error');
    const first = errors[0];
    const where = first ? `${first.file}:${first.line}:${first.column}: ` : '';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new HooksConfigError(
      'INVALID_HOOKS_CONFIG',
      `${where}${first?.message ?? 'invalid config'}${more}`,
      diagnostics,
    );
  }
  return { config, warnings: diagnostics };
}
