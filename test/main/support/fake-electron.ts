/**
 * A stand-in for the `electron` module, for the carrier tests (Electron
 * itself cannot run here). It keeps what matters to the contract: every
 * IPC message is structured-cloned on its way, as Electron serialises it,
 * and the context bridge copies values and keeps only the message of a
 * thrown or rejected Error, as Electron's does. What cannot cross the real
 * carrier fails here too.
 */

type Listener = (event: unknown, payload: unknown) => void;
type Handler = (event: unknown, ...args: unknown[]) => unknown;

const handlers = new Map<string, Handler>();
const rendererListeners = new Map<string, Set<Listener>>();

/** What preload/index.ts exposed, by key, as the page would see it. */
export const mainWorld: Record<string, unknown> = {};

const mainFrame = { url: 'app://index.html' };

/** The one window's web contents; main sends pushes through it. */
export const webContents = {
  mainFrame,
  send(channel: string, payload: unknown): void {
    const copy = structuredClone(payload);
    rendererListeners.get(channel)?.forEach((listener) => listener({}, copy));
  },
};

/** The app window as main/electron/ipc.ts sees it. */
export const window = { webContents, isDestroyed: () => false };

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (handlers.has(channel)) {
      throw new Error(
        `Attempted to register a second handler for '${channel}'`,
      );
    }
    handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    handlers.delete(channel);
  },
};

export const ipcRenderer = {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = handlers.get(channel);
    if (handler === undefined) {
      throw new Error(`No handler registered for '${channel}'`);
    }
    const event = { sender: webContents, senderFrame: mainFrame };
    const result = await handler(event, ...structuredClone(args));
    return structuredClone(result);
  },
  on(channel: string, listener: Listener): void {
    const set = rendererListeners.get(channel) ?? new Set();
    rendererListeners.set(channel, set);
    set.add(listener);
  },
  off(channel: string, listener: Listener): void {
    rendererListeners.get(channel)?.delete(listener);
  },
};

// copies a value across worlds; functions become proxies that copy back
function bridge(value: unknown): unknown {
  if (typeof value === 'function') {
    return (...args: unknown[]) => {
      const crossed = args.map((arg) =>
        typeof arg === 'function' ? bridge(arg) : structuredClone(arg),
      );
      let result: unknown;
      try {
        result = value(...crossed);
      } catch (error) {
        throw bridgeError(error);
      }
      if (result instanceof Promise) {
        return result.then(bridge, (error: unknown) => {
          throw bridgeError(error);
        });
      }
      return bridge(result);
    };
  }
  if (typeof value === 'object' && value !== null) {
    const hasFunctions = Object.values(value).some(
      (item) => typeof item === 'function',
    );
    if (hasFunctions) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, bridge(item)]),
      );
    }
  }
  return structuredClone(value);
}

function bridgeError(error: unknown): unknown {
  return error instanceof Error
    ? new Error(error.message)
    : structuredClone(error);
}

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    mainWorld[key] = bridge(api);
  },
};

export type IpcRendererEvent = unknown;
export type BrowserWindow = typeof window;
