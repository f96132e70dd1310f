// @vitest-environment node
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../../engine/ports/logger';
import { hostHandlers } from '../../../main/studio/host-handlers';
import { workspaceDataDir } from '../../../main/studio/paths';
import { WorkspaceHost } from '../../../main/studio/workspace-host';
import { lockWorkspace } from '../../../main/studio/workspace-lock';
import type {
  ClusterStatus,
  WorkspaceChanged,
} from '../../../preload/contract';
import { waitFor } from '../../support/wait-for';
import { routerApi } from '../support/router-api';
import { waitForLeader } from '../support/studio-fixture';

const info = { carrier: 'browser' as const, version: '0.0.0' };

describe('WorkspaceHost', () => {
  let root: string;
  let dataDir: string;
  let host: WorkspaceHost;
  let api: ReturnType<typeof routerApi>;
  let changes: WorkspaceChanged[];
  let statuses: ClusterStatus[];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-host-'));
    dataDir = join(root, 'data');
    host = new WorkspaceHost({ dataDir, logger: silentLogger });
    api = routerApi(hostHandlers(host, info));
    changes = [];
    statuses = [];
    host.onPush((channel, payload) => {
      if (channel === 'workspace:changed') {
        changes.push(payload as WorkspaceChanged);
      } else if (channel === 'cluster:status') {
        statuses.push(payload as ClusterStatus);
      }
    });
  });

  afterEach(async () => {
    await host.dispose();
    await rm(root, { recursive: true, force: true });
  });

  async function foreignWorkspace(name: string): Promise<string> {
    const dir = join(root, name);
    await mkdir(dir);
    await writeFile(join(dir, 'hooks.toml'), '[hooks]\nenabled = true\n');
    return realpath(dir);
  }

  it('creates from the example, switches, closes and lists recent workspaces', async () => {
    expect(await api.invoke('workspace:info', {})).toEqual({ workspace: null });
    await expect(api.invoke('cluster:status', {})).rejects.toMatchObject({
      code: 'NO_WORKSPACE',
    });

    const a = join(root, 'a');
    const created = await api.invoke('workspace:create', { dir: a });
    expect(created.workspace).toMatchObject({
      isNew: true,
      isTrusted: true,
      trustedBy: 'created',
    });
    expect(existsSync(join(a, 'hooks.toml'))).toBe(true);
    const first = host.require();
    await waitForLeader(first);

    const b = await foreignWorkspace('b');
    await expect(
      api.invoke('workspace:create', { dir: b }),
    ).rejects.toMatchObject({ code: 'WORKSPACE_NOT_EMPTY' });

    const opened = await api.invoke('workspace:open', { dir: b });
    expect(opened.workspace).toMatchObject({ dir: b, isTrusted: false });
    expect(() => first.localMachine()).toThrow('closed');
    // counted before the leader is awaited: its push may come first
    const seen = statuses.length;
    await waitForLeader(host.require());
    await waitFor(() => statuses.slice(seen).some((s) => s.leader !== null), {
      what: 'pushes from the new workspace',
    });

    const realA = await realpath(a);
    const recent = await api.invoke('workspace:recent', {});
    expect(recent.workspaces).toMatchObject([
      { dir: b, exists: true, isTrusted: false },
      { dir: realA, exists: true, isTrusted: true },
    ]);

    expect(await api.invoke('workspace:close', {})).toEqual({
      workspace: null,
    });
    expect(changes.map((c) => c.workspace?.dir ?? null)).toEqual([
      realA,
      b,
      null,
    ]);

    await rm(b, { recursive: true });
    const after = await api.invoke('workspace:recent', {});
    expect(after.workspaces[0]).toMatchObject({ dir: b, exists: false });
  });

  it('keeps the open workspace when another cannot open', async () => {
    const a = await foreignWorkspace('a');
    await api.invoke('workspace:open', { dir: a });

    await expect(
      api.invoke('workspace:open', { dir: join(root, 'missing') }),
    ).rejects.toMatchObject({ code: 'BAD_WORKSPACE' });

    const c = await foreignWorkspace('c');
    const lock = await lockWorkspace(
      workspaceDataDir(dataDir, c),
      c,
      'someone else',
    );
    try {
      await expect(
        api.invoke('workspace:open', { dir: c }),
      ).rejects.toMatchObject({
        code: 'WORKSPACE_LOCKED',
        message: expect.stringContaining('someone else'),
      });
    } finally {
      await lock.release();
    }
    expect(host.current?.workspace.dir).toBe(a);
    expect(
      (await api.invoke('workspace:open', { dir: a })).workspace?.dir,
    ).toBe(a);
    expect(changes).toHaveLength(1);
  });

  it('resets only a workspace that is not open', async () => {
    const a = await foreignWorkspace('a');
    await api.invoke('workspace:open', { dir: a });
    await expect(
      api.invoke('workspace:reset', { dir: a }),
    ).rejects.toMatchObject({ code: 'WORKSPACE_OPEN' });

    await api.invoke('workspace:close', {});
    const { movedTo } = await api.invoke('workspace:reset', { dir: a });
    expect(existsSync(movedTo!)).toBe(true);
    expect(existsSync(workspaceDataDir(dataDir, a))).toBe(false);
    expect(await api.invoke('workspace:reset', { dir: a })).toEqual({
      movedTo: null,
    });
  });

  it('answers a request to pick a folder where there is no picker', async () => {
    await expect(api.invoke('workspace:open', {})).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await expect(
      api.invoke('workspace:open', { dir: 'relative/path' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
