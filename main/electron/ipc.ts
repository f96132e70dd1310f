import { ipcMain, type BrowserWindow } from 'electron';

import {
  INVOKE_CHANNELS,
  type InvokeChannel,
  type InvokeMap,
} from '../../preload/contract';

type Handler<C extends InvokeChannel> = (
  request: InvokeMap[C]['request'],
) => Promise<InvokeMap[C]['response']> | InvokeMap[C]['response'];

/** One handler per request channel of the contract. */
export type Handlers = { [C in InvokeChannel]: Handler<C> };

/**
 * Registers the contract's request handlers. IPC from any sender other
 * than our window's top frame is refused: only the app's own page may call
 * the service.
 */
export function setupIpc(window: BrowserWindow, handlers: Handlers): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, request) => {
      const isOurs =
        event.sender === window.webContents &&
        event.senderFrame === window.webContents.mainFrame;
      if (!isOurs) {
        throw new Error('IPC refused: unknown sender');
      }
      return (handlers[channel] as Handler<typeof channel>)(request);
    });
  }
}
