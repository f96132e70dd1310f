import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { startStudioServer } from '../server/studio-server';
import { defaultStudioHome, defaultWorkspaceDir } from '../studio/paths';
import { MAX_TIME_SPEED, MIN_TIME_SPEED } from '../../preload/contract-time';
import { UsageError, type CliIo } from './cli-io';
import { repoRoot } from './repo-root';

const USAGE =
  'usage: aspen-studio serve [--workspace <dir>] [--port <n>] ' +
  '[--data-dir <dir>] [--nodes <1-7>] [--time-scale <0.01-1000>] ' +
  '[--trust] [--json]';

/**
 * `serve`: opens the workspace and serves the studio in browser mode on
 * 127.0.0.1, printing the address (with the per-run token) until stopped
 * by SIGINT or SIGTERM. A workspace not created on this machine runs with
 * its handlers paused unless `--trust` is given (which is remembered).
 */
export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      nodes: { type: 'string' },
      'time-scale': { type: 'string' },
      trust: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const port = Number(values.port);
  const nodes = values.nodes === undefined ? undefined : Number(values.nodes);
  if (positionals.length > 0 || !Number.isInteger(port) || port < 0) {
    throw new UsageError(USAGE);
  }
  if (
    nodes !== undefined &&
    !(Number.isInteger(nodes) && nodes >= 1 && nodes <= 7)
  ) {
    throw new UsageError(`--nodes must be 1 to 7; ${USAGE}`);
  }
  const timeScale = readTimeScale(values['time-scale']);
  const home = defaultStudioHome();
  const workspace = resolve(values.workspace ?? defaultWorkspaceDir(home));
  const rendererDir = join(repoRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    io.err('the UI is not built (run `npm run build`); serving the API only\n');
  }

  const studio = await startStudioServer({
    workspace,
    dataDir: resolve(values['data-dir'] ?? home),
    rendererDir,
    port,
    size: nodes,
    timeScale,
    trust: values.trust,
    holder: 'aspen-studio serve',
  });
  // listening before the address is printed: whoever reads it may stop us
  // at once, and must find a clean shutdown rather than the default kill
  const stopped = new Promise<number>((resolveExit) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void studio.close().then(() => resolveExit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const { url, service } = studio;
  const { workspace: info } = service;
  if (values.json) {
    io.out(`${JSON.stringify({ url, workspace: info })}\n`);
  } else {
    if (info.isNew) {
      io.out(`Created a workspace with an example in ${info.dir}\n`);
    }
    if (!info.isTrusted) {
      io.out(
        'Handlers are paused: this workspace was not created on this ' +
          'machine. Trust it in the studio, or serve it with --trust.\n',
      );
    }
    io.out(`Aspen Hook Studio is running at ${url}\n`);
  }

  return stopped;
}

// the cluster's starting speed: 0.05 plays it at 1/20×
function readTimeScale(text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const scale = Number(text);
  if (!(scale >= MIN_TIME_SPEED && scale <= MAX_TIME_SPEED)) {
    const range = `${MIN_TIME_SPEED} to ${MAX_TIME_SPEED}`;
    throw new UsageError(`--time-scale must be ${range}; ${USAGE}`);
  }
  return scale;
}
