import { toErrorData } from '../../engine/util/errors';
import {
  isInvokeChannel,
  type ContractError,
  type InvokeChannel,
  type InvokeMap,
} from '../../preload/contract';

/** Handlers for the contract's request channels. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (
    request: InvokeMap[C]['request'],
  ) => Promise<InvokeMap[C]['response']> | InvokeMap[C]['response'];
};

/** A request's outcome as it crosses any carrier. */
export type RouteResult =
  { ok: true; value: unknown } | { ok: false; error: ContractError };

/** Routes one request, whatever carried it. */
export type Router = (
  channel: string,
  payload: unknown,
) => Promise<RouteResult>;

/**
 * One entry point for every carrier (WebSocket, HTTP, Electron IPC): checks
 * the channel, runs its handler, and turns any error into `{code,
 * message}` (codes, not classes, cross the boundary).
 */
export function createRouter(handlers: InvokeHandlers): Router {
  return async (channel, payload) => {
    if (!isInvokeChannel(channel)) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `no channel ${channel}` },
      };
    }
    try {
      const handler = handlers[channel] as (request: unknown) => unknown;
      return { ok: true, value: await handler(payload ?? {}) };
    } catch (error) {
      return { ok: false, error: toErrorData(error) };
    }
  };
}
