// @vitest-environment node
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { runCli } from '../../../main/cli/run-cli';
import { studioHandlers } from '../../../main/studio/studio-handlers';
import { version } from '../../../package.json';
import { waitFor } from '../../support/wait-for';
import { routerApi } from '../support/router-api';
import { openStudio, type StudioFixture } from '../support/studio-fixture';
import { untar } from '../support/untar';

const info = { carrier: 'browser' as const, version: '0.0.0' };

function bufferIo() {
  const io = { out: '', err: '' };
  return {
    io,
    cli: {
      out: (t: string) => (io.out += t),
      err: (t: string) => (io.err += t),
    },
  };
}

describe('diagnostics bundle', () => {
  let fixture: StudioFixture | undefined;

  afterEach(() => fixture?.cleanup());

  it('bundles logs, config, versions, cluster status and notices of a running studio', async () => {
    fixture = await openStudio({ logger: 'file' });
    const { service, workspace, dataDir } = fixture;
    const api = routerApi(studioHandlers(service, info));
    const hooksToml = await readFile(join(workspace, 'hooks.toml'), 'utf8');
    await api.invoke('config:apply', { text: hooksToml, save: false });
    await api.invoke('cluster:cut', { from: 1, to: 3 });
    await api.invoke('workspace:trust', { isTrusted: false });
    await waitFor(
      () => service.status().nodes.every((node) => node.applied > 0),
      { what: 'every node to apply' },
    );

    const bundle = await api.invoke('workspace:diagnostics', {});
    expect(bundle.file.startsWith(join(dataDir, 'diagnostics'))).toBe(true);
    expect(bundle.file).toMatch(/\.tar\.gz$/);
    const files = await untar(bundle.file);
    expect([...files.keys()].sort()).toEqual([...bundle.parts].sort());

    // the log files
    expect(files.get('logs/studio.log')).toContain('workspace open');
    // hooks.toml and the config the cluster runs
    expect(files.get('config/hooks.toml')).toBe(hooksToml);
    expect(files.get('config/applied.toml')).toBe(hooksToml);
    // versions, with the on-disk formats
    const versions = JSON.parse(files.get('versions.json')!);
    expect(versions).toMatchObject({
      studio: version,
      node: process.versions.node,
      electron: null,
      formats: { supported: { storage: 1, workspaceData: 1 } },
    });
    expect(versions.formats.found.clusters[0].nodes).toHaveLength(3);
    // every node's role, term and indexes, and the faults
    const status = JSON.parse(files.get('status.json')!);
    expect(status.cluster.nodes).toHaveLength(3);
    for (const node of status.cluster.nodes) {
      expect(node).toMatchObject({ state: 'running' });
      expect(node.role).toMatch(/^(leader|follower|candidate|pre-candidate)/);
      expect(node.term).toBeGreaterThan(0);
      expect(node.commit).toBeGreaterThan(0);
      expect(node.lastIndex).toBeGreaterThan(0);
    }
    expect(status.cluster.faults.cuts).toEqual([{ from: 1, to: 3 }]);
    expect(status.hooks).toMatchObject({ isPaused: true });
    // the notices shown lately
    const notices = JSON.parse(files.get('notices.json')!);
    expect(notices.at(-1).message).toContain('no longer trusted');
    // the workspace, its trust and who holds it
    const about = JSON.parse(files.get('workspace.json')!);
    expect(about).toMatchObject({
      dir: service.workspace.dir,
      trust: { isTrusted: false },
      lockHolder: { pid: process.pid },
    });
  });

  it('bundles a closed workspace from the CLI, with each node’s stored state', async () => {
    fixture = await openStudio({ logger: 'file' });
    const { service, workspace, dataDir } = fixture;
    await service.propose({ t: 'kv.put', key: 'a', value: '1' });

    // open elsewhere: the CLI says who has it rather than reading it
    const busy = bufferIo();
    const busyFile = join(dataDir, 'busy.tar.gz');
    const args = ['--workspace', workspace, '--data-dir', dataDir];
    expect(
      await runCli(['diagnostics', ...args, '-o', busyFile], busy.cli),
    ).toBe(0);
    const busyStatus = JSON.parse((await untar(busyFile)).get('status.json')!);
    expect(busyStatus.note).toContain(`pid ${process.pid}`);

    await service.close();
    const out = bufferIo();
    const file = join(dataDir, 'offline.tar.gz');
    expect(await runCli(['diagnostics', ...args, '-o', file], out.cli)).toBe(0);
    expect(out.io.out.trim()).toBe(file);
    const files = await untar(file);
    expect(files.get('logs/studio.log')).toContain('workspace open');
    const status = JSON.parse(files.get('status.json')!);
    expect(status.nodes).toHaveLength(3);
    for (const node of status.nodes) {
      expect(node.term).toBeGreaterThan(0);
      expect(node.commit).toBeGreaterThan(0);
      expect(node.lastIndex).toBeGreaterThanOrEqual(node.commit);
    }
  });
});
