import { ipcMain, type BrowserWindow } from 'electron';

import {
  INVOKE_CHANNELS,
  type PushChannel,
  type PushMap,
} from '../../preload/contract';
import type { Router } from '../server/router';

/**
 * Serves the contract's request channels over Electron IPC through the
 * same router as every other carrier. Handlers never throw across IPC:
 * Electron would flatten the error into a message and lose its code, so
 * the outcome travels as data (`{ok, value}` or `{ok, error}`) and the
 * preload turns it back into a resolve or a `{code, message}` rejection.
 *
 * IPC from any sender other than our window's top frame is refused: only
 * the app's own page may call the service. Returns the undo.
 */
export function setupIpc(window: BrowserWindow, router: Router): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      const isOurs =
        event.sender === window.webContents &&
        event.senderFrame === window.webContents.mainFrame;
      if (!isOurs) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN_SENDER', message: 'IPC refused' },
        };
      }
      return router(channel, request);
    });
  }
  return () => INVOKE_CHANNELS.forEach((c) => ipcMain.removeHandler(c));
}

/** Sends a push to our window, if it is still there. */
export function ipcPusher(window: BrowserWindow) {
  return <C extends PushChannel>(channel: C, payload: PushMap[C]): void => {
    if (!window.isDestroyed()) {
      window.webContents.send(channel, payload);
    }
  };
}
