import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { TestProject } from 'vitest/node';

import { freePort } from '../support/free-port';
import { waitFor } from '../support/wait-for';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `nats://127.0.0.1:port` of this run's server, or '' when absent. */
    natsUrl: string;
    /** Why there is no server, when natsUrl is ''. */
    natsError: string;
  }
}

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server'];

/**
 * One nats-server per test run, on a free loopback port, with JetStream in
 * a scratch folder; stopped when the run ends (DESIGN §6). Tests that need
 * it fail with `natsError` when it could not start.
 */
export default async function setup(project: TestProject) {
  const binary =
    process.env.NATS_SERVER ?? CANDIDATES.find((path) => existsSync(path));
  if (binary === undefined) {
    project.provide('natsUrl', '');
    project.provide(
      'natsError',
      'nats-server not found (apt-get install nats-server, or set NATS_SERVER)',
    );
    return;
  }

  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'aspen-nats-'));
  const child: ChildProcess = spawn(
    binary,
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    { timeoutMs: 15_000, what: `nats-server on port ${port}: ${stderr}` },
  );
  project.provide('natsUrl', `nats://127.0.0.1:${port}`);
  project.provide('natsError', '');

  return async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      if (child.exitCode !== null) {
        resolve(undefined);
      }
      child.once('exit', resolve);
    });
    rmSync(storeDir, { recursive: true, force: true });
  };
}
