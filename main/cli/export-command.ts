import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { HooksConfigError } from '../../engine/hooks/config/index';
import type { ExportFormat } from '../../preload/contract';
import { exportConfig } from '../studio/config-ops';
import { EXIT, located, readInput, UsageError, type CliIo } from './cli-io';

const FORMATS: readonly ExportFormat[] = ['toml', 'json', 'plugin-kv'];

const USAGE =
  'usage: aspen-studio export <hooks.toml> --format toml|json|plugin-kv ' +
  '[--strip-studio-keys] [--output <file>] [--json]';

/**
 * `export <hooks.toml> --format …`: the exported text on stdout (or in
 * `--output`), the compatibility report on stderr.
 */
export async function exportCommand(
  argv: string[],
  io: CliIo,
): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'toml' },
      'strip-studio-keys': { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
    },
  });
  const [file, ...extra] = positionals;
  const format = values.format as ExportFormat;
  if (file === undefined || extra.length > 0) {
    throw new UsageError(USAGE);
  }
  if (!FORMATS.includes(format)) {
    throw new UsageError(`unknown format ${JSON.stringify(format)}; ${USAGE}`);
  }
  const text = await readInput(file);

  let result;
  try {
    result = exportConfig(
      { text, format, stripStudioKeys: values['strip-studio-keys'] },
      file,
    );
  } catch (error) {
    if (!(error instanceof HooksConfigError)) {
      throw error;
    }
    const errors = error.diagnostics.filter((d) => d.severity === 'error');
    for (const d of errors) {
      io.err(`${located(d.file, d.line, d.column, d.message)}\n`);
    }
    if (errors.length === 0) {
      io.err(`${error.message}\n`);
    }
    return EXIT.badInput;
  }

  if (values.output !== undefined) {
    await writeFile(values.output, result.content);
  }
  if (values.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  }
  if (values.output === undefined) {
    io.out(result.content);
  }
  io.err(`compatibility report (${result.report.length} findings):\n`);
  for (const finding of result.report) {
    const who = finding.handler === undefined ? '' : `${finding.handler}: `;
    io.err(`  ${finding.severity} ${finding.id}: ${who}${finding.message}\n`);
  }
  return EXIT.ok;
}
