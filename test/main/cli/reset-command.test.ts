// @vitest-environment node
import { existsSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readFile,
  realpath,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../../../main/cli/run-cli';
import { workspaceDataDir } from '../../../main/studio/paths';
import { lockWorkspace } from '../../../main/studio/workspace-lock';

describe('aspen-studio reset', () => {
  let root: string;
  let workspace: string;
  let home: string;
  let out: string;
  let err: string;
  const io = {
    out: (text: string) => void (out += text),
    err: (text: string) => void (err += text),
  };

  beforeEach(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'aspen-reset-')));
    workspace = join(root, 'ws');
    home = join(root, 'home');
    await mkdir(workspace);
    out = '';
    err = '';
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  const reset = () =>
    runCli(['reset', '--workspace', workspace, '--data-dir', home], io);

  it('needs the workspace named', async () => {
    expect(await runCli(['reset'], io)).toBe(2);
    expect(err).toContain('usage: aspen-studio reset --workspace <dir>');
  });

  it('moves the cluster data aside and keeps it', async () => {
    expect(await reset()).toBe(0);
    expect(out).toContain('has no cluster data');

    const data = workspaceDataDir(home, workspace);
    await mkdir(join(data, 'cluster'), { recursive: true });
    await writeFile(join(data, 'cluster', 'cluster.json'), '{"version":9}');
    out = '';
    expect(await reset()).toBe(0);
    const movedTo = out.trim().split(' to ').at(-1)!;
    expect(existsSync(data)).toBe(false);
    const kept = await readFile(
      join(movedTo, 'cluster', 'cluster.json'),
      'utf8',
    );
    expect(kept).toBe('{"version":9}');
  });

  it('refuses while a studio has the workspace open, naming it', async () => {
    const data = workspaceDataDir(home, workspace);
    const lock = await lockWorkspace(data, workspace, 'aspen-studio serve');
    try {
      expect(await reset()).toBe(1);
      expect(err).toContain(
        `is already open in aspen-studio serve (pid ${process.pid}`,
      );
      expect(existsSync(data)).toBe(true);
    } finally {
      await lock.release();
    }
  });
});
