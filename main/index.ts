// The Electron entry: a window around the same renderer that browser mode
// serves, talking to the same studio service over IPC. Everything that is
// not Electron-specific lives in main/studio.
import { join } from 'node:path';

import { app, BrowserWindow, dialog } from 'electron';

import { ipcPusher, setupIpc } from './electron/ipc';
import { guardWebContents, setupSecurity } from './electron/security';
import { createRouter } from './server/router';
import { defaultWorkspaceDir } from './studio/paths';
import { studioHandlers } from './studio/studio-handlers';
import { StudioService } from './studio/studio-service';
import { version } from '../package.json';

// LevelDB and fs share libuv's pool; the nodes need more than 4 threads
process.env.UV_THREADPOOL_SIZE ??= '16';

function workspaceArg(): string {
  const at = process.argv.indexOf('--workspace');
  const dir = at >= 0 ? process.argv[at + 1] : undefined;
  return dir ?? defaultWorkspaceDir();
}

async function createWindow(service: StudioService): Promise<void> {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Aspen Hook Studio',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  guardWebContents(window.webContents);
  const router = createRouter(
    studioHandlers(service, { carrier: 'electron', version }),
  );
  const stopIpc = setupIpc(window, router);
  const stopPushes = service.onPush(ipcPusher(window));
  window.on('closed', () => {
    stopPushes();
    stopIpc();
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl !== undefined) {
    await window.loadURL(devUrl);
  } else {
    await window.loadFile(join(__dirname, '../renderer/index.html'));
  }
}

async function start(): Promise<void> {
  setupSecurity();
  let service: StudioService;
  try {
    service = await StudioService.open(workspaceArg(), {
      dataDir: app.getPath('userData'),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Aspen Hook Studio cannot open the workspace', message);
    app.quit();
    return;
  }
  let isClosing = false;
  app.on('before-quit', (event) => {
    if (!isClosing) {
      isClosing = true;
      event.preventDefault();
      void service.close().finally(() => app.quit());
    }
  });
  await createWindow(service);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
}
