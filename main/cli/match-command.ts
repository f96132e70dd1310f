import { parseArgs } from 'node:util';

import { HooksConfigError } from '../../engine/hooks/config/index';
import type { SubjectMatch } from '../../preload/contract';
import { parseConfig } from '../studio/config-handlers';
import { matchConfig, matchPattern } from '../studio/match';
import { EXIT, located, readInput, UsageError, type CliIo } from './cli-io';

const USAGE =
  'usage: aspen-studio match <pattern> <subject>... | ' +
  'match --config <hooks.toml> <subject>... [--json]';

/**
 * `match <pattern> <subject>...`: per subject, match, no match, or
 * invalid with the reason. `match --config <hooks.toml> <subject>...`:
 * which hooks receive each subject. Exit 2 when the pattern, the config
 * or any subject is invalid.
 */
export async function matchCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, json: { type: 'boolean' } },
  });

  let results: SubjectMatch[];
  if (values.config !== undefined) {
    if (positionals.length === 0) {
      throw new UsageError(USAGE);
    }
    const text = await readInput(values.config);
    try {
      results = matchConfig(parseConfig(text, values.config), positionals);
    } catch (error) {
      if (!(error instanceof HooksConfigError)) {
        throw error;
      }
      for (const d of error.diagnostics.filter((d) => d.severity === 'error')) {
        io.err(`${located(d.file, d.line, d.column, d.message)}\n`);
      }
      return EXIT.badInput;
    }
  } else {
    const [pattern, ...subjects] = positionals;
    if (pattern === undefined || subjects.length === 0) {
      throw new UsageError(USAGE);
    }
    try {
      results = matchPattern(pattern, subjects);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'INVALID_PATTERN') {
        throw error;
      }
      io.err(`${(error as Error).message}\n`);
      return EXIT.badInput;
    }
  }

  if (values.json) {
    io.out(`${JSON.stringify({ results }, null, 2)}\n`);
  } else {
    results.forEach((result) => io.out(`${describe(result)}\n`));
  }
  const hasInvalid = results.some((result) => result.verdict === 'invalid');
  return hasInvalid ? EXIT.badInput : EXIT.ok;
}

function describe(result: SubjectMatch): string {
  const { subject, verdict } = result;
  if (verdict === 'invalid') {
    return `${subject}: invalid: ${result.reason}`;
  }
  if (result.hooks !== undefined) {
    const hooks =
      result.hooks.length > 0 ? result.hooks.join(', ') : 'no hooks';
    return `${subject}: ${hooks}`;
  }
  const text = verdict === 'match' ? 'match' : 'no match';
  const isSame = result.isProductionMatch === (verdict === 'match');
  const production = result.isProductionMatch ? 'match' : 'no match';
  return isSame
    ? `${subject}: ${text}`
    : `${subject}: ${text} (production: ${production})`;
}
