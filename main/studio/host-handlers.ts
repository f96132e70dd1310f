import { INVOKE_CHANNELS, type InvokeChannel } from '../../preload/contract';
import type { InvokeHandler, InvokeHandlers } from '../server/router';

import {
  studioHandlers,
  type CarrierInfo,
  type HostChannel,
  type ServiceHandlers,
} from './studio-handlers';
import type { StudioService } from './studio-service';
import type { WorkspaceHost } from './workspace-host';

const HOST_CHANNELS: readonly InvokeChannel[] = [
  'app:info',
  'workspace:info',
  'workspace:recent',
  'workspace:open',
  'workspace:create',
  'workspace:close',
  'workspace:reset',
] satisfies (HostChannel | 'app:info' | 'workspace:info')[];

/**
 * Every channel of the contract for an app that opens and closes
 * workspaces: the workspace channels are the host's, everything else goes
 * to the service of the workspace open at the time of the request (and
 * fails with `NO_WORKSPACE` while none is).
 */
export function hostHandlers(
  host: WorkspaceHost,
  info: CarrierInfo,
): InvokeHandlers {
  const built = new WeakMap<StudioService, ServiceHandlers>();
  const handlersNow = (): ServiceHandlers => {
    const service = host.require();
    let handlers = built.get(service);
    if (handlers === undefined) {
      handlers = studioHandlers(service, info);
      built.set(service, handlers);
    }
    return handlers;
  };

  const delegated: Record<string, InvokeHandler<never>> = {};
  for (const channel of INVOKE_CHANNELS) {
    if (!HOST_CHANNELS.includes(channel)) {
      delegated[channel] = (request) => {
        const handler = handlersNow()[channel as keyof ServiceHandlers];
        return (handler as (request: unknown) => unknown)(request) as never;
      };
    }
  }

  return {
    ...(delegated as unknown as ServiceHandlers),
    'app:info': () => ({
      version: info.version,
      carrier: info.carrier,
      workspace: host.current?.workspace,
    }),
    'workspace:info': () => ({ workspace: host.current?.workspace ?? null }),
    'workspace:recent': async () => ({ workspaces: await host.recent() }),
    'workspace:open': async ({ dir }) => ({ workspace: await host.open(dir) }),
    'workspace:create': async ({ dir }) => ({
      workspace: await host.create(dir),
    }),
    'workspace:close': async () => {
      await host.close();
      return { workspace: null };
    },
    'workspace:reset': async ({ dir }) => ({ movedTo: await host.reset(dir) }),
  };
}
