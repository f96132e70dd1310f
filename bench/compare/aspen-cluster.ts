// Ours: the studio's browser-mode server in a process of its own, running
// a 3-node LocalCluster (classic-level, every batch synced) inside it. The
// load reaches it over loopback through the public API, as any external
// client or the CLI would (DESIGN §4, §7).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { JsonEndpoint } from './http-json';
import { spawnGroup, stopGroup, waitUntil } from './processes';
import type { FailoverPlan, SystemUnderTest } from './system';
import type { ClusterStatus } from '../../preload/contract';
import { version } from '../../package.json';

const START_TIMEOUT_MS = 60_000;
const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/;

/** Options of {@link startAspen}. */
export interface AspenOptions {
  /** Repository root (tsx resolves from there). */
  root: string;
  dir: string;
  carrier: 'http' | 'ws';
}

/**
 * Starts `main/serve.ts` (browser mode, as `aspen-studio serve`) on a fresh
 * workspace and data folder, and reads the address it prints.
 */
async function launchServer(options: AspenOptions) {
  const server = spawnGroup(
    process.execPath,
    [
      ...['--import', 'tsx', join(options.root, 'main/serve.ts')],
      ...['--workspace', join(options.dir, 'workspace')],
      ...['--data-dir', join(options.dir, 'data')],
      ...['--port', '0'],
    ],
    {
      cwd: options.root,
      logFile: join(options.dir, 'serve.log'),
      isStdoutPiped: true,
      // DESIGN §3.2: LevelDB and fs share libuv's pool
      env: { ...process.env, UV_THREADPOOL_SIZE: '16' },
    },
  );
  let printed = '';
  let timer: NodeJS.Timeout | undefined;
  const found = new Promise<RegExpMatchArray>((resolve, reject) => {
    server.child.stdout!.on('data', (chunk: Buffer) => {
      printed = (printed + chunk.toString()).slice(-4000);
      const match = URL_PATTERN.exec(printed);
      if (match) {
        resolve(match);
      }
    });
    void server.exited.then((code) =>
      reject(new Error(`main/serve.ts exited (${code}) before its URL`)),
    );
    timer = setTimeout(
      () => reject(new Error('main/serve.ts printed no URL')),
      START_TIMEOUT_MS,
    );
  });
  try {
    const match = await found;
    const port = Number(match[1]);
    const token = match[2]!;
    const api = new JsonEndpoint('127.0.0.1', port, 4, {
      'x-aspen-token': token,
    });
    return { process: server, port, token, api };
  } catch (error) {
    await stopGroup(server);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts our server with a fresh workspace and data under `dir`. */
export async function startAspen(
  options: AspenOptions,
): Promise<SystemUnderTest> {
  await mkdir(options.dir, { recursive: true });
  const server = await launchServer(options);
  const { api, port, token } = server;
  const status = () =>
    api.call('/api/cluster:status', {}, 5000) as Promise<ClusterStatus>;
  let killed: { node: number; commit: number } | undefined;
  let isStopped = false;

  // whole: every node runs, follows one leader, and applied what was
  // committed when the last trial ended
  const isWholeSince = (commit: number) => async () => {
    const now = await status();
    return (
      now.leader !== null &&
      now.nodes.every(
        (node) =>
          node.state === 'running' &&
          node.leader === now.leader &&
          node.applied >= commit,
      )
    );
  };

  const target = {
    system: 'aspen' as const,
    port,
    token,
    carrier: options.carrier,
  };
  const system = {
    name: 'aspen' as const,
    label: `ours (Aspen studio ${version})`,
    durability: 'classic-level sync on a quorum before ack',
    access:
      'studio browser-mode API (main/serve.ts), over ' +
      `${options.carrier === 'ws' ? 'the WebSocket' : 'HTTP keep-alive'}: ` +
      'events:publish; watch = events:range pages of 1,000 from the ' +
      'start; failover = cluster:kill of the leader node (the process ' +
      'lives on; the clock starts before the request)',
    writeTarget: async () => target,
    watchTarget: async () => target,
    async failoverPlan(): Promise<FailoverPlan> {
      const { leader, commit } = await status();
      if (leader === null) {
        throw new Error('ours: no leader to kill');
      }
      killed = { node: leader, commit };
      return { kill: { node: leader }, target, victim: `node ${leader}` };
    },
    async recover() {
      if (killed === undefined) {
        return;
      }
      const { node, commit } = killed;
      killed = undefined;
      const before = await status();
      // a trial that failed before its kill leaves the leader running
      if (before.nodes.some((n) => n.id === node && n.state === 'killed')) {
        await api.call('/api/cluster:restart', { node }, 30_000);
      }
      await waitUntil(
        isWholeSince(commit),
        START_TIMEOUT_MS,
        'ours to be whole',
      );
    },
    serverPids: () => [server.process.pid],
    async stop() {
      if (isStopped) {
        return;
      }
      isStopped = true;
      api.close();
      await stopGroup(server.process, 15_000);
    },
  } satisfies SystemUnderTest;
  try {
    await waitUntil(
      isWholeSince(0),
      START_TIMEOUT_MS,
      'ours to elect a leader',
    );
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}
