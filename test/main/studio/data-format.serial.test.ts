// @vitest-environment node
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ClassicLevel } from 'classic-level';
import { afterEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../../engine/ports/logger';
import {
  decodeFormat,
  encodeFormat,
  FORMAT_VERSION,
  KeyPrefix,
  singleKey,
} from '../../../engine/storage/level-codec';
import { hostHandlers } from '../../../main/studio/host-handlers';
import { StudioService } from '../../../main/studio/studio-service';
import { WorkspaceHost } from '../../../main/studio/workspace-host';
import { routerApi } from '../support/router-api';
import {
  openStudio,
  waitForLeader,
  type StudioFixture,
} from '../support/studio-fixture';

const info = { carrier: 'browser' as const, version: '0.0.0' };

function levelDb(dir: string) {
  return new ClassicLevel<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
}

/** Rewrites a node database's format record, as a newer studio would. */
async function setFormat(dir: string, version: number): Promise<void> {
  const db = levelDb(dir);
  await db.open();
  await db.put(singleKey(KeyPrefix.format), encodeFormat(version));
  await db.close();
}

async function readFormat(dir: string): Promise<unknown> {
  const db = levelDb(dir);
  await db.open();
  const value = await db.get(singleKey(KeyPrefix.format));
  await db.close();
  return value === undefined ? undefined : decodeFormat(value);
}

describe('on-disk format versions', () => {
  let fixture: StudioFixture | undefined;
  let host: WorkspaceHost | undefined;

  afterEach(async () => {
    await host?.dispose();
    host = undefined;
    await fixture?.cleanup();
    fixture = undefined;
  });

  /** A workspace with data, closed, ready to be tampered with. */
  async function closedWorkspace() {
    fixture = await openStudio();
    const { service, workspace, dataDir } = fixture;
    await service.propose({ t: 'kv.put', key: 'kept', value: 'yes' });
    await service.close();
    const data = service.workspace.dataDir;
    return { workspace, dataDir, data, real: service.workspace.dir };
  }

  it('refuses a database with a future format version, with the documented message', async () => {
    const { workspace, dataDir, data, real } = await closedWorkspace();
    const nodeDir = join(data, 'cluster', 'node-2');
    const future = FORMAT_VERSION + 1;
    await setFormat(nodeDir, future);

    const message =
      `storage in ${nodeDir} has format version ${future}; this build ` +
      `supports version ${FORMAT_VERSION}. Export the config, then reset ` +
      `the data (delete ${nodeDir}).`;
    const open = () =>
      StudioService.open(workspace, { dataDir, logger: silentLogger });
    await expect(open()).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message,
    });
    // refused before anything started: the lock is free, nothing changed
    await expect(open()).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    expect(await readFormat(nodeDir)).toBe(future);

    // the way out, through the contract: reset the data, then open afresh
    host = new WorkspaceHost({ dataDir, logger: silentLogger });
    const api = routerApi(hostHandlers(host, info));
    await expect(
      api.invoke('workspace:open', { dir: workspace }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message });
    const { movedTo } = await api.invoke('workspace:reset', { dir: real });
    expect(movedTo).toMatch(/\.reset-\d+$/);
    expect(await readFormat(join(movedTo!, 'cluster', 'node-2'))).toBe(future);

    const opened = await api.invoke('workspace:open', { dir: workspace });
    expect(opened.workspace?.dir).toBe(real);
    const service = host.require();
    await waitForLeader(service);
    expect((await service.readMachine()).get('kept')).toBeUndefined();
  });

  it('refuses a workspace data folder of a future version', async () => {
    const { workspace, dataDir, data } = await closedWorkspace();
    const record = join(data, 'workspace.json');
    const stored = JSON.parse(await readFile(record, 'utf8')) as object;
    await writeFile(record, JSON.stringify({ ...stored, version: 7 }));

    await expect(
      StudioService.open(workspace, { dataDir, logger: silentLogger }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message:
        `storage in ${data} has format version 7; this build supports ` +
        `version 1. Export the config, then reset the data (delete ${data}).`,
    });
  });

  it('refuses a cluster manifest of a future version', async () => {
    const { workspace, dataDir, data } = await closedWorkspace();
    const file = join(data, 'cluster', 'cluster.json');
    const manifest = JSON.parse(await readFile(file, 'utf8')) as object;
    await writeFile(file, JSON.stringify({ ...manifest, version: 5 }));

    await expect(
      StudioService.open(workspace, { dataDir, logger: silentLogger }),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED_FORMAT',
      message: expect.stringContaining(`${file} has format version 5`),
    });
  });
});
