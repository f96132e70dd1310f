import type { AppInfo } from '../../preload/contract';
import type { InvokeHandlers } from '../server/router';

import { clusterHandlers } from './cluster-handlers';
import { configHandlers } from './config-handlers';
import { dataHandlers } from './data-handlers';
import type { StudioService } from './studio-service';
import { timeHandlers } from './time-handlers';
import { workspaceHandlers } from './workspace-handlers';

/** The channels only the app around a service answers. */
export type HostChannel =
  | 'workspace:recent'
  | 'workspace:open'
  | 'workspace:create'
  | 'workspace:close'
  | 'workspace:reset';

/** Every channel one studio service answers by itself. */
export type ServiceHandlers = Omit<InvokeHandlers, HostChannel>;

/** Who is asking: what `app:info` reports. */
export interface CarrierInfo {
  carrier: AppInfo['carrier'];
  version: string;
}

/**
 * A handler for every request channel of the contract, served by one
 * studio service. Requests reach these already checked against the
 * contract's schemas (the router does that on arrival); what is left to
 * check here is what needs the cluster: that a node exists, that a
 * subject or pattern is valid, that a config parses. Opening and closing
 * workspaces is left to the app around the service (`./host-handlers`);
 * a router built from these alone answers those channels `UNAVAILABLE`.
 */
export function studioHandlers(
  service: StudioService,
  info: CarrierInfo,
): ServiceHandlers {
  return {
    'app:info': () => ({
      version: info.version,
      carrier: info.carrier,
      workspace: { ...service.workspace },
    }),
    ...clusterHandlers(service),
    ...dataHandlers(service),
    ...configHandlers(service),
    ...workspaceHandlers(service),
    ...timeHandlers(service),
  };
}
