// @vitest-environment node
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseHooksToml } from '../../../engine/hooks/config/index';
import { parseScenario } from '../../../main/cli/scenario-file';
import { workspaceDataDir } from '../../../main/studio/paths';
import { prepareWorkspace } from '../../../main/studio/workspace';
import { lockWorkspace } from '../../../main/studio/workspace-lock';

describe('prepareWorkspace()', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-ws-'));
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('creates a new workspace with a valid example', async () => {
    const dir = join(root, 'new');
    const prepared = await prepareWorkspace(dir);
    expect(prepared.isNew).toBe(true);
    const text = await readFile(join(dir, 'hooks.toml'), 'utf8');
    const { config, diagnostics } = parseHooksToml(text, 'hooks.toml');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(config?.handlers.map((h) => h.name)).toEqual([
      'order-echo',
      'kv-audit',
    ]);
    const scenario = join(dir, 'scenarios', 'smoke.toml');
    const parsed = parseScenario(await readFile(scenario, 'utf8'), scenario);
    expect(parsed.steps.map((s) => s.describe)).toEqual([
      'publish orders.created',
      'kill leader',
      'kv_put config/a',
    ]);
  });

  it('leaves an existing workspace alone', async () => {
    await writeFile(join(root, 'notes.txt'), 'mine');
    const prepared = await prepareWorkspace(root);
    expect(prepared.isNew).toBe(false);
    await expect(readFile(join(root, 'hooks.toml'))).rejects.toThrow();
  });

  it('keys the data folder by the workspace path', () => {
    const a = workspaceDataDir('/data', '/home/me/a');
    expect(a).toMatch(/^\/data\/workspaces\/[0-9a-f]{40}$/);
    expect(workspaceDataDir('/data', '/home/me/b')).not.toBe(a);
  });
});

describe('lockWorkspace()', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-lock-'));
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  it('refuses a second opener while the first holds the lock', async () => {
    const file = join(root, 'studio.lock');
    const lock = await lockWorkspace(file, '/ws');
    await expect(lockWorkspace(file, '/ws')).rejects.toMatchObject({
      code: 'WORKSPACE_LOCKED',
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    await lock.release();
    const again = await lockWorkspace(file, '/ws');
    await again.release();
  });

  it('takes over the lock of a process that is gone', async () => {
    const file = join(root, 'studio.lock');
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    await writeFile(file, `${pid}\n`);
    const lock = await lockWorkspace(file, '/ws');
    expect((await readFile(file, 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
  });
});
