import { createRouter, type InvokeHandlers } from '../../../main/server/router';
import type {
  InvokeChannel,
  InvokeMap,
  StudioApi,
} from '../../../preload/contract';

/**
 * The contract over the real router (schemas checked on arrival), without
 * a carrier: resolves with the response, rejects with `{code, message}`.
 */
export function routerApi(
  handlers: Partial<InvokeHandlers>,
): Pick<StudioApi, 'invoke'> {
  const router = createRouter(handlers);
  return {
    async invoke<C extends InvokeChannel>(
      channel: C,
      request: InvokeMap[C]['request'],
    ): Promise<InvokeMap[C]['response']> {
      const result = await router(channel, request);
      if (!result.ok) {
        throw result.error;
      }
      return result.value as InvokeMap[C]['response'];
    },
  };
}
