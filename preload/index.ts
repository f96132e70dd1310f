// The sandboxed preload: a thin bridge that exposes one named object built
// from the contract, never ipcRenderer itself (STYLE §4.4).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import {
  API_GLOBAL,
  isInvokeChannel,
  isPushChannel,
  type StudioApi,
} from './contract';

const api: StudioApi = {
  invoke(channel, request) {
    if (!isInvokeChannel(channel)) {
      return Promise.reject(new Error(`unknown channel: ${String(channel)}`));
    }
    return ipcRenderer.invoke(channel, request);
  },
  on(channel, listener) {
    if (!isPushChannel(channel)) {
      throw new Error(`unknown channel: ${String(channel)}`);
    }
    const wrapped = (_event: IpcRendererEvent, payload: unknown) =>
      listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.off(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld(API_GLOBAL, api);
