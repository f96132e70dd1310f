// The Electron entry: a window around the same renderer that browser mode
// serves. Everything that is not Electron-specific lives in main/studio.
import { join } from 'node:path';

import { app, BrowserWindow } from 'electron';

import { setupIpc } from './electron/ipc';
import { guardWebContents, setupSecurity } from './electron/security';
import { version } from '../package.json';

function createWindow(): BrowserWindow {
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
  setupIpc(window, {
    'app:info': () => ({ version, carrier: 'electron' }),
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl !== undefined) {
    void window.loadURL(devUrl);
  } else {
    void window.loadFile(join(__dirname, '../renderer/index.html'));
  }
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(() => {
    setupSecurity();
    createWindow();
  });
  app.on('window-all-closed', () => app.quit());
}
