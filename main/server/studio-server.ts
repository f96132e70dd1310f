import { existsSync } from 'node:fs';

import type { Logger } from '../../engine/ports/logger';
import { hostHandlers } from '../studio/host-handlers';
import type { StudioService } from '../studio/studio-service';
import {
  WorkspaceHost,
  type WorkspaceHostOptions,
} from '../studio/workspace-host';
import { startBrowserServer, type BrowserServer } from './browser-server';
import { createRouter } from './router';
import { version } from '../../package.json';

/** Options of {@link startStudioServer}. */
export interface StudioServerOptions extends Omit<
  WorkspaceHostOptions,
  'logger' | 'pickFolder'
> {
  /** The workspace folder to open (created with the example if new). */
  workspace: string;
  /** Trust the workspace (`serve --trust`). */
  trust?: boolean;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  logger?: Logger | 'file';
}

/** A studio served in browser mode. */
export interface StudioServer {
  /** The app around the open workspace. */
  host: WorkspaceHost;
  /**
   * The open workspace's service.
   *
   * @throws `NO_WORKSPACE` after the page closed it.
   */
  readonly service: StudioService;
  server: BrowserServer;
  /** The address to open, with the per-run token in the fragment. */
  url: string;
  close(): Promise<void>;
}

/**
 * Browser mode: opens the workspace and serves the studio, with the
 * renderer, over HTTP and WebSocket on 127.0.0.1 only. Pushes go to every
 * page that said hello with the token. The page may switch workspaces by
 * path (browser mode has no folder picker).
 */
export async function startStudioServer(
  options: StudioServerOptions,
): Promise<StudioServer> {
  const { workspace, trust, rendererDir, port, ...hostOptions } = options;
  const host = new WorkspaceHost(hostOptions);
  if (existsSync(workspace)) {
    await host.open(workspace, { trust });
  } else {
    await host.create(workspace);
  }
  let server: BrowserServer;
  try {
    server = await startBrowserServer({
      rendererDir,
      port,
      version,
      router: createRouter(hostHandlers(host, { carrier: 'browser', version })),
    });
  } catch (error) {
    await host.dispose();
    throw error;
  }
  const stopPushes = host.onPush((channel, payload) =>
    server.pushes.broadcast(channel, payload),
  );
  return {
    host,
    get service() {
      return host.require();
    },
    server,
    url: server.url,
    close: async () => {
      stopPushes();
      await server.close();
      await host.dispose();
    },
  };
}
