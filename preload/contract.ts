/**
 * The typed contract between the studio service and its front ends. Declared
 * once; the Electron preload, the browser-mode carrier and the renderer all
 * derive their types from it (STYLE §4.2). No electron code lives here.
 */

/** The name under which the preload exposes the API on `window`. */
export const API_GLOBAL = 'aspenStudio';

/** Content-Security-Policy shared by the Electron window and browser mode. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' ws://127.0.0.1:*",
  "object-src 'none'",
].join('; ');

/** Request channels (renderer to service, with a response). */
export const INVOKE_CHANNELS = ['app:info'] as const;

/** Push channels (service to renderer). */
export const PUSH_CHANNELS = ['app:notice'] as const;

/** A request channel name. */
export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];

/** A push channel name. */
export type PushChannel = (typeof PUSH_CHANNELS)[number];

/** What the service says about itself. */
export interface AppInfo {
  /** The studio's version from package.json. */
  version: string;
  /** Which carrier the renderer talks through. */
  carrier: 'electron' | 'browser';
}

/** Request and response types per invoke channel. */
export interface InvokeMap {
  'app:info': { request: Record<string, never>; response: AppInfo };
}

/** Payload type per push channel. */
export interface PushMap {
  'app:notice': { level: 'info' | 'warn' | 'error'; message: string };
}

/** An error as it crosses the contract: a stable code and a message. */
export interface ContractError {
  code: string;
  message: string;
}

/** The API a front end sees, whichever carrier is underneath. */
export interface StudioApi {
  /** Sends a request and resolves with its response. */
  invoke<C extends InvokeChannel>(
    channel: C,
    request: InvokeMap[C]['request'],
  ): Promise<InvokeMap[C]['response']>;
  /** Listens to a push channel; returns the unsubscribe. */
  on<C extends PushChannel>(
    channel: C,
    listener: (payload: PushMap[C]) => void,
  ): () => void;
}

/** True when `channel` is one the contract declares for requests. */
export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return (INVOKE_CHANNELS as readonly unknown[]).includes(channel);
}

/** True when `channel` is one the contract declares for pushes. */
export function isPushChannel(channel: unknown): channel is PushChannel {
  return (PUSH_CHANNELS as readonly unknown[]).includes(channel);
}

/** A message a browser-mode client sends over the WebSocket. */
export type ClientMessage =
  | { type: 'hello'; token: string }
  | { type: 'invoke'; id: number; channel: InvokeChannel; payload: unknown };

/** A message the browser-mode server sends over the WebSocket. */
export type ServerMessage =
  | { type: 'welcome'; version: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ContractError }
  | { type: 'push'; channel: PushChannel; payload: unknown };

/** WebSocket close code for a missing or wrong token. */
export const CLOSE_UNAUTHORIZED = 4401;

/** The path of the browser-mode WebSocket. */
export const WS_PATH = '/ws';
