import { existsSync } from 'node:fs';

import { expect, it } from 'vitest';

import type { WorkspaceChanged } from '../../../preload/contract';
import { waitFor } from '../../support/wait-for';
import { failure, type SuiteContext } from './contract-helpers';

/** Workspace channels: info, trust, recent, pending config, diagnostics. */
export function workspaceChecks(s: SuiteContext): void {
  it('reports the open workspace and lists it as recent', async () => {
    const { workspace } = await s.api().invoke('workspace:info', {});
    expect(workspace).toEqual(s.service().workspace);
    expect(workspace?.isTrusted).toBe(true);
    const { workspaces } = await s.api().invoke('workspace:recent', {});
    expect(workspaces[0]).toMatchObject({ dir: workspace?.dir, exists: true });
  });

  it('takes the trust back and gives it again, pushing each change', async () => {
    const changes: WorkspaceChanged[] = [];
    const stop = s.api().on('workspace:changed', (c) => changes.push(c));
    try {
      const off = await s.api().invoke('workspace:trust', { isTrusted: false });
      expect(off.workspace).toMatchObject({ isTrusted: false });
      const on = await s.api().invoke('workspace:trust', { isTrusted: true });
      expect(on.workspace).toMatchObject({
        isTrusted: true,
        trustedBy: 'user',
      });
      await waitFor(() => changes.length === 2, { what: 'two pushes' });
      expect(changes.map((c) => c.workspace?.isTrusted)).toEqual([false, true]);
    } finally {
      stop();
    }
  });

  it('compares hooks.toml with the running config', async () => {
    const pending = await s.api().invoke('config:pending', {});
    expect(pending.file).toBe(`${s.service().workspace.dir}/hooks.toml`);
    expect(pending.exists).toBe(true);
    expect(Array.isArray(pending.diff)).toBe(true);
    expect(pending.isApplied).toBe(
      pending.applied !== null && pending.applied.text === pending.text,
    );
  });

  it('writes a diagnostics bundle', async () => {
    const bundle = await s.api().invoke('workspace:diagnostics', {});
    expect(existsSync(bundle.file)).toBe(true);
    expect(bundle.parts).toContain('status.json');
  });

  it('refuses a relative folder and an unknown key', async () => {
    const relative = await failure(
      s.api().invoke('workspace:open', { dir: 'somewhere/else' }),
    );
    expect(relative).toEqual({
      code: 'BAD_REQUEST',
      message: 'workspace:open: dir: expected an absolute folder path',
    });
    const extra = await failure(
      s.api().invoke('workspace:trust', {
        isTrusted: true,
        forever: true,
      } as never),
    );
    expect(extra.message).toBe(
      'workspace:trust: request: unknown key "forever"',
    );
  });
}
