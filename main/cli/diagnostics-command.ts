import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { bundleName, writeBundle } from '../studio/diagnostics';
import { offlineSources } from '../studio/diagnostics-sources';
import {
  defaultStudioHome,
  defaultWorkspaceDir,
  diagnosticsDir,
} from '../studio/paths';
import { EXIT, UsageError, type CliIo } from './cli-io';

const USAGE =
  'usage: aspen-studio diagnostics [--workspace <dir>] [--data-dir <dir>] ' +
  '[--output <file.tar.gz>] [--json]';

/**
 * `diagnostics`: writes the diagnostics bundle of a workspace that is not
 * running (its logs, config, versions, formats and each node's stored
 * state) and prints where. A running studio's own bundle, with the live
 * cluster status, comes from its "Export diagnostics".
 */
export async function diagnosticsCommand(
  argv: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      'data-dir': { type: 'string' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length > 0) {
    throw new UsageError(USAGE);
  }
  const home = resolve(values['data-dir'] ?? defaultStudioHome());
  const workspace = resolve(values.workspace ?? defaultWorkspaceDir(home));
  const file = resolve(
    values.output ?? join(diagnosticsDir(home), bundleName()),
  );
  const sources = await offlineSources(home, workspace);
  const result = await writeBundle(sources, file);
  if (values.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    io.out(`${result.file}\n`);
    io.err(`${result.parts.length} files, ${result.bytes} bytes\n`);
  }
  return EXIT.ok;
}
