// @vitest-environment node
import { afterAll, vi } from 'vitest';

import { ipcPusher, setupIpc } from '../../../main/electron/ipc';
import { createRouter } from '../../../main/server/router';
import { studioHandlers } from '../../../main/studio/studio-handlers';
import { API_GLOBAL, type StudioApi } from '../../../preload/contract';
import * as fake from '../support/fake-electron';
import { openStudio, type StudioFixture } from '../support/studio-fixture';
import { runContractSuite } from './contract-suite';

// Electron cannot run here: its module is replaced by a fake IPC pair and
// context bridge that structured-clone every message, wired through the
// real main/electron/ipc.ts and preload/index.ts.
vi.mock('electron', () => import('../support/fake-electron'));

let fixture: StudioFixture | undefined;

afterAll(() => fixture?.cleanup());

runContractSuite('the Electron carrier', async () => {
  fixture = await openStudio();
  const { service } = fixture;
  const window = fake.window as unknown as Parameters<typeof setupIpc>[0];
  const router = createRouter(
    studioHandlers(service, { carrier: 'electron', version: '0.1.0' }),
  );
  const stopIpc = setupIpc(window, router);
  const stopPushes = service.onPush(ipcPusher(window));
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
