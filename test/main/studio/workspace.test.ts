// @vitest-environment node
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { parseHooksToml } from '../../../engine/hooks/config/index';
import { parseScenario } from '../../../main/cli/scenario-file';
import { workspaceDataDir } from '../../../main/studio/paths';
import { prepareWorkspace } from '../../../main/studio/workspace';

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
