/**
 * The typed contract between the studio service and its front ends. Declared
 * once; the Electron preload, the browser-mode carrier, the CLI and the
 * renderer all derive their types from it (STYLE §4.2). No electron code
 * lives here, and nothing but constants and type guards runs: the request
 * schemas are in contract-schemas.ts, which the small preload never loads.
 *
 * @packageDocumentation
 */

import type {
  AddNodeRequest,
  AddNodeResponse,
  ClusterStatus,
  CutRequest,
  LinkRequest,
  NodeRequest,
  PartitionRequest,
  TransferRequest,
} from './contract-cluster';
import type {
  ConfigApplyRequest,
  ConfigApplyResponse,
  ConfigExportRequest,
  ConfigExportResponse,
  ConfigGetResponse,
  ConfigImportRequest,
  ConfigImportResponse,
  ConfigSchemaRequest,
  ConfigSchemaResponse,
  ConfigValidateRequest,
  ConfigValidateResponse,
  DlqSelectorRequest,
  HooksListResponse,
  JobsListResponse,
  JobsPurgeResponse,
  JobsRedriveResponse,
  MatchRequest,
  MatchResponse,
} from './contract-config';
import type {
  EventsBatch,
  KvDeleteResponse,
  KvGetResponse,
  KvKeyRequest,
  KvListRequest,
  KvListResponse,
  KvPutRequest,
  KvPutResponse,
  Notice,
  PublishRequest,
  PublishResponse,
  RangeRequest,
  RangeResponse,
  TerminalOutput,
} from './contract-events';
import type {
  TimeSpeedRequest,
  TimeState,
  TimeStepRequest,
  TimeStepResponse,
} from './contract-time';
import type {
  ConfigPending,
  WorkspaceChanged,
  WorkspaceCreateRequest,
  WorkspaceDiagnosticsResponse,
  WorkspaceInfo,
  WorkspaceOpenRequest,
  WorkspaceRecentResponse,
  WorkspaceResetRequest,
  WorkspaceResetResponse,
  WorkspaceStateResponse,
  WorkspaceTrustRequest,
} from './contract-workspace';

export type * from './contract-cluster';
export type * from './contract-config';
export type * from './contract-events';
export type * from './contract-time';
export type * from './contract-workspace';

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

/** Request channels (front end to service, with a response). */
export const INVOKE_CHANNELS = [
  'app:info',
  'cluster:status',
  'cluster:kill',
  'cluster:restart',
  'cluster:partition',
  'cluster:cut',
  'cluster:link',
  'cluster:heal',
  'cluster:transfer',
  'cluster:add',
  'cluster:remove',
  'events:publish',
  'events:range',
  'kv:put',
  'kv:delete',
  'kv:get',
  'kv:list',
  'config:get',
  'config:validate',
  'config:apply',
  'config:export',
  'config:import',
  'config:schema',
  'jobs:list',
  'jobs:redrive',
  'jobs:purge',
  'hooks:list',
  'match:test',
  'workspace:info',
  'workspace:trust',
  'workspace:recent',
  'workspace:open',
  'workspace:create',
  'workspace:close',
  'workspace:reset',
  'workspace:diagnostics',
  'config:pending',
  'time:state',
  'time:speed',
  'time:pause',
  'time:resume',
  'time:step',
] as const;

/** Push channels (service to front end). */
export const PUSH_CHANNELS = [
  'cluster:status',
  'events:batch',
  'terminal:output',
  'app:notice',
  'workspace:changed',
  'config:pending',
  'time:state',
] as const;

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
  /** The open workspace, when a studio service runs behind the carrier. */
  workspace?: WorkspaceInfo;
}

/** An empty request. */
export type EmptyRequest = Record<string, never>;

/** Request and response types per invoke channel. */
export interface InvokeMap {
  'app:info': { request: EmptyRequest; response: AppInfo };
  'cluster:status': { request: EmptyRequest; response: ClusterStatus };
  'cluster:kill': { request: NodeRequest; response: ClusterStatus };
  'cluster:restart': { request: NodeRequest; response: ClusterStatus };
  'cluster:partition': { request: PartitionRequest; response: ClusterStatus };
  'cluster:cut': { request: CutRequest; response: ClusterStatus };
  'cluster:link': { request: LinkRequest; response: ClusterStatus };
  'cluster:heal': { request: EmptyRequest; response: ClusterStatus };
  'cluster:transfer': { request: TransferRequest; response: ClusterStatus };
  'cluster:add': { request: AddNodeRequest; response: AddNodeResponse };
  'cluster:remove': { request: NodeRequest; response: ClusterStatus };
  'events:publish': { request: PublishRequest; response: PublishResponse };
  'events:range': { request: RangeRequest; response: RangeResponse };
  'kv:put': { request: KvPutRequest; response: KvPutResponse };
  'kv:delete': { request: KvKeyRequest; response: KvDeleteResponse };
  'kv:get': { request: KvKeyRequest; response: KvGetResponse };
  'kv:list': { request: KvListRequest; response: KvListResponse };
  'config:get': { request: EmptyRequest; response: ConfigGetResponse };
  'config:validate': {
    request: ConfigValidateRequest;
    response: ConfigValidateResponse;
  };
  'config:apply': {
    request: ConfigApplyRequest;
    response: ConfigApplyResponse;
  };
  'config:export': {
    request: ConfigExportRequest;
    response: ConfigExportResponse;
  };
  'config:import': {
    request: ConfigImportRequest;
    response: ConfigImportResponse;
  };
  'config:schema': {
    request: ConfigSchemaRequest;
    response: ConfigSchemaResponse;
  };
  'jobs:list': { request: EmptyRequest; response: JobsListResponse };
  'jobs:redrive': {
    request: DlqSelectorRequest;
    response: JobsRedriveResponse;
  };
  'jobs:purge': { request: DlqSelectorRequest; response: JobsPurgeResponse };
  'hooks:list': { request: EmptyRequest; response: HooksListResponse };
  'match:test': { request: MatchRequest; response: MatchResponse };
  'workspace:info': {
    request: EmptyRequest;
    response: WorkspaceStateResponse;
  };
  'workspace:trust': {
    request: WorkspaceTrustRequest;
    response: WorkspaceStateResponse;
  };
  'workspace:recent': {
    request: EmptyRequest;
    response: WorkspaceRecentResponse;
  };
  'workspace:open': {
    request: WorkspaceOpenRequest;
    response: WorkspaceStateResponse;
  };
  'workspace:create': {
    request: WorkspaceCreateRequest;
    response: WorkspaceStateResponse;
  };
  'workspace:close': {
    request: EmptyRequest;
    response: WorkspaceStateResponse;
  };
  'workspace:reset': {
    request: WorkspaceResetRequest;
    response: WorkspaceResetResponse;
  };
  'workspace:diagnostics': {
    request: EmptyRequest;
    response: WorkspaceDiagnosticsResponse;
  };
  'config:pending': { request: EmptyRequest; response: ConfigPending };
  'time:state': { request: EmptyRequest; response: TimeState };
  'time:speed': { request: TimeSpeedRequest; response: TimeState };
  'time:pause': { request: EmptyRequest; response: TimeState };
  'time:resume': { request: EmptyRequest; response: TimeState };
  'time:step': { request: TimeStepRequest; response: TimeStepResponse };
}

/** Payload type per push channel. */
export interface PushMap {
  /** Coalesced: at most one per frame, the latest state. */
  'cluster:status': ClusterStatus;
  /** New events, bounded per frame. */
  'events:batch': EventsBatch;
  /** Shell handler output, bounded per frame. */
  'terminal:output': TerminalOutput;
  'app:notice': Notice;
  /** A workspace was opened, closed, trusted or distrusted. */
  'workspace:changed': WorkspaceChanged;
  /** hooks.toml or the running config changed (an outside edit). */
  'config:pending': ConfigPending;
  /** Speed, pause or a step changed; coalesced with the frames. */
  'time:state': TimeState;
}

/**
 * An error as it crosses the contract: a stable code and a message. A
 * rejected {@link StudioApi.invoke} rejects with a value of this shape
 * (an object with `code` and `message`), whichever carrier is underneath.
 */
export interface ContractError {
  /** Stable, upper-snake: `BAD_REQUEST`, `UNKNOWN_NODE`, `NO_LEADER`… */
  code: string;
  /** What went wrong, and where for bad input (`where: why`). */
  message: string;
}

/** The API a front end sees, whichever carrier is underneath. */
export interface StudioApi {
  /**
   * Sends a request and resolves with its response; rejects with a
   * {@link ContractError}-shaped value.
   */
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

/** A request's outcome as every carrier transports it. */
export type RouteResult =
  { ok: true; value: unknown } | { ok: false; error: ContractError };

/**
 * The `{code, message}` of anything a carrier rejected with; a value
 * without a code is reported as `INTERNAL`.
 */
export function toContractError(error: unknown): ContractError {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as Record<string, unknown>;
    if (typeof code === 'string' && typeof message === 'string') {
      return { code, message };
    }
    if (typeof message === 'string') {
      return { code: 'INTERNAL', message };
    }
  }
  return { code: 'INTERNAL', message: String(error) };
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
