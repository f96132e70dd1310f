// @vitest-environment node
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { lockWorkspace } from '../../../main/studio/workspace-lock';
import { scaled } from '../../support/time-scale';

const HOLDER = join(__dirname, 'fixtures', 'lock-holder.ts');

/** Starts a process that takes the lock; resolves once it holds it. */
function holdInChild(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HOLDER, dataDir, '/ws'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const held = new Promise<void>((resolve, reject) => {
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('locked')) {
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, held, exited };
}

describe('lockWorkspace()', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-lock-'));
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('refuses a second opener in this process, naming the holder', async () => {
    const lock = await lockWorkspace(root, '/ws', 'aspen-studio serve');
    expect(lock.holder).toMatchObject({ pid: process.pid, host: hostname() });

    const refused = lockWorkspace(root, '/ws');
    await expect(refused).rejects.toMatchObject({
      code: 'WORKSPACE_LOCKED',
      message:
        `/ws is already open in aspen-studio serve (pid ${process.pid} ` +
        `on ${hostname()}, since ${lock.holder.startedAt}); ` +
        'close it there first',
    });

    await lock.release();
    const again = await lockWorkspace(root, '/ws');
    await again.release();
  });

  it(
    'refuses while another process holds it and frees it when that process dies',
    async () => {
      const { child, held, exited } = holdInChild(root);
      await held;

      const refused = await lockWorkspace(root, '/ws').catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'WORKSPACE_LOCKED' });
      const { message } = refused as Error;
      expect(message).toContain(`a test holder (pid ${child.pid} on`);
      expect(message).not.toMatch(/LEVEL|LOCK file|IO error/);

      // a crash: no release, no cleanup; the OS drops the lock with it
      child.kill('SIGKILL');
      await exited;
      const lock = await lockWorkspace(root, '/ws');
      expect(lock.holder.pid).toBe(process.pid);
      await lock.release();
    },
    scaled(30_000),
  );
});
