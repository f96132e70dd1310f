import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { defaultStudioHome } from '../studio/paths';
import { resetWorkspaceData } from '../studio/workspace-host';
import { EXIT, UsageError, type CliIo } from './cli-io';

const USAGE =
  'usage: aspen-studio reset --workspace <dir> [--data-dir <dir>] [--json]';

/**
 * `reset --workspace <dir>`: moves the workspace's cluster data aside so
 * its next open starts a fresh cluster; the way out when the data was
 * written by a newer studio. The workspace folder (hooks.toml, handlers)
 * is not touched, and the old data is kept under a new name, not deleted.
 */
export async function resetCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length > 0 || values.workspace === undefined) {
    throw new UsageError(USAGE);
  }
  const home = resolve(values['data-dir'] ?? defaultStudioHome());
  const given = resolve(values.workspace);
  // a folder that is gone is still keyed by the path it had
  const workspace = await realpath(given).catch(() => given);
  const movedTo = await resetWorkspaceData(home, workspace);
  if (values.json) {
    io.out(`${JSON.stringify({ workspace, movedTo })}\n`);
  } else if (movedTo === null) {
    io.out(`${workspace} has no cluster data; nothing to reset\n`);
  } else {
    io.out(`Moved the cluster data of ${workspace} to ${movedTo}\n`);
  }
  return EXIT.ok;
}
