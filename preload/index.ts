// The sandboxed preload: a thin bridge that exposes one named object built
// from the contract, never ipcRenderer itself (STYLE §4.4). Main answers
// every request with data (`{ok, value}` or `{ok, error}`); a failure is
// rejected as a plain `{code, message}` object, because the context bridge
// keeps only the message of an Error and the code would be lost.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import {
  API_GLOBAL,
  isInvokeChannel,
  isPushChannel,
  type RouteResult,
  type StudioApi,
} from './contract';

const api: StudioApi = {
  async invoke(channel, request) {
    if (!isInvokeChannel(channel)) {
      const message = `unknown channel: ${String(channel)}`;
      throw { code: 'UNKNOWN_CHANNEL', message };
    }
    const result = (await ipcRenderer.invoke(channel, request)) as RouteResult;
    if (!result.ok) {
      throw { code: result.error.code, message: result.error.message };
    }
    return result.value as never;
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
