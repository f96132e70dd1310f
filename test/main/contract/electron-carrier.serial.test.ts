// @vitest-environment node
import { afterAll, vi } from 'vitest';

import { ipcPusher, setupIpc } from '../../../main/electron/ipc';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { silentLogger } from '../../../engine/ports/logger';
import { createRouter } from '../../../main/server/router';
import { hostHandlers } from '../../../main/studio/host-handlers';
import { WorkspaceHost } from '../../../main/studio/workspace-host';
import { API_GLOBAL, type StudioApi } from '../../../preload/contract';
import * as fake from '../support/fake-electron';
import { waitForLeader } from '../support/studio-fixture';
import { runContractSuite } from './contract-suite';

// Electron cannot run here: its module is replaced by a fake IPC pair and
// context bridge that structured-clone every message, wired through the
// real main/electron/ipc.ts and preload/index.ts, around the same
// workspace host main/index.ts runs.
vi.mock('electron', () => import('../support/fake-electron'));

let root: string | undefined;
let host: WorkspaceHost | undefined;

afterAll(async () => {
  await host?.dispose();
  if (root !== undefined) {
    await rm(root, { recursive: true, force: true });
  }
});

runContractSuite('the Electron carrier', async () => {
  root = await mkdtemp(join(tmpdir(), 'aspen-electron-'));
  host = new WorkspaceHost({
    dataDir: join(root, 'data'),
    logger: silentLogger,
  });
  await host.create(join(root, 'workspace'));
  const service = host.require();
  await waitForLeader(service);
  const window = fake.window as unknown as Parameters<typeof setupIpc>[0];
  const router = createRouter(
    hostHandlers(host, { carrier: 'electron', version: '0.1.0' }),
  );
  const stopIpc = setupIpc(window, router);
  const stopPushes = host.onPush(ipcPusher(window));
  await import('../../../preload/index');
  return {
    api: fake.mainWorld[API_GLOBAL] as StudioApi,
    service,
    close: async () => {
      stopPushes();
      stopIpc();
    },
  };
});
