// The Electron entry: a window around the same renderer that browser mode
// serves, talking to the same studio service over IPC. Everything that is
// not Electron-specific lives in main/studio.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { app, BrowserWindow } from 'electron';

import { ipcPusher, setupIpc } from './electron/ipc';
import { setupMenu } from './electron/menu';
import { guardWebContents, setupSecurity } from './electron/security';
import { openFirstWorkspace, pickFolder } from './electron/workspace-dialogs';
import { createRouter } from './server/router';
import { hostHandlers } from './studio/host-handlers';
import { defaultStudioHome, defaultWorkspaceDir } from './studio/paths';
import { WorkspaceHost } from './studio/workspace-host';
import { version } from '../package.json';

// LevelDB and fs share libuv's pool; the nodes need more than 4 threads
process.env.UV_THREADPOOL_SIZE ??= '16';

let mainWindow: BrowserWindow | undefined;

function workspaceArg(argv: string[]): string | undefined {
  const at = argv.indexOf('--workspace');
  const dir = at >= 0 ? argv[at + 1] : undefined;
  return dir === undefined ? undefined : resolve(dir);
}

// the folder named on the command line, else the last one opened, else
// the default workspace (created with the example on first run)
async function firstWorkspace(host: WorkspaceHost): Promise<string> {
  const named = workspaceArg(process.argv);
  if (named !== undefined) {
    return named;
  }
  const recent = await host.recent().catch(() => []);
  return recent.find((entry) => entry.exists)?.dir ?? defaultWorkspaceDir();
}

async function createWindow(host: WorkspaceHost): Promise<void> {
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
  mainWindow = window;
  guardWebContents(window.webContents);
  const router = createRouter(
    hostHandlers(host, { carrier: 'electron', version }),
  );
  const stopIpc = setupIpc(window, router);
  const stopPushes = host.onPush(ipcPusher(window));
  window.on('closed', () => {
    stopPushes();
    stopIpc();
    mainWindow = undefined;
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl !== undefined) {
    await window.loadURL(devUrl);
  } else {
    await window.loadFile(join(__dirname, '../renderer/index.html'));
  }
}

// a second launch of the app brings this one forward instead of starting
// another; a second process on the same workspace (`aspen-studio serve`)
// is refused by the workspace lock
function focusMainWindow(): void {
  if (mainWindow === undefined) {
    return;
  }
  if (mainWindow.isMinimized()) {
    mainWindow.restore();
  }
  mainWindow.show();
  mainWindow.focus();
}

async function start(): Promise<void> {
  setupSecurity();
  const host = new WorkspaceHost({
    dataDir: defaultStudioHome(),
    holder: 'the Aspen Hook Studio app',
    pickFolder: (purpose) => pickFolder(mainWindow, purpose),
  });
  const isOpen = await openFirstWorkspace(
    host,
    await firstWorkspace(host),
    (dir) => (existsSync(dir) ? host.open(dir) : host.create(dir)),
  );
  if (!isOpen) {
    app.quit();
    return;
  }
  let isClosing = false;
  app.on('before-quit', (event) => {
    if (!isClosing) {
      isClosing = true;
      event.preventDefault();
      void host.dispose().finally(() => app.quit());
    }
  });
  setupMenu(host, () => mainWindow);
  await createWindow(host);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
}
