import { toErrorData } from '../../engine/util/errors';
import {
  isInvokeChannel,
  type InvokeChannel,
  type InvokeMap,
  type RouteResult,
} from '../../preload/contract';
import { parseRequest } from '../../preload/contract-schemas';

export type { RouteResult };

/** The handler of one request channel. */
export type InvokeHandler<C extends InvokeChannel> = (
  request: InvokeMap[C]['request'],
) => Promise<InvokeMap[C]['response']> | InvokeMap[C]['response'];

/** Handlers for the contract's request channels. */
export type InvokeHandlers = { [C in InvokeChannel]: InvokeHandler<C> };

/** Routes one request, whatever carried it. */
export type Router = (
  channel: string,
  payload: unknown,
) => Promise<RouteResult>;

/**
 * One entry point for every carrier (WebSocket, HTTP, Electron IPC): checks
 * the channel, validates the request against the contract's schema, runs
 * its handler, and turns any error into `{code, message}` (codes, not
 * classes, cross the boundary). A channel without a handler answers
 * `UNAVAILABLE`, so a server started for one purpose (the renderer shell
 * tests) can serve only part of the contract.
 */
export function createRouter(handlers: Partial<InvokeHandlers>): Router {
  return async (channel, payload) => {
    if (!isInvokeChannel(channel)) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `no channel ${channel}` },
      };
    }
    const handler = handlers[channel] as
      ((request: unknown) => unknown) | undefined;
    if (handler === undefined) {
      const message = `${channel} is not served here`;
      return { ok: false, error: { code: 'UNAVAILABLE', message } };
    }
    const parsed = parseRequest(channel, payload ?? {});
    if (!parsed.ok) {
      return parsed;
    }
    try {
      return { ok: true, value: await handler(parsed.value) };
    } catch (error) {
      return { ok: false, error: toErrorData(error) };
    }
  };
}
