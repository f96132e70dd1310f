import type { Logger } from '../../engine/ports/logger';
import { studioHandlers } from '../studio/studio-handlers';
import {
  StudioService,
  type StudioServiceOptions,
} from '../studio/studio-service';
import { startBrowserServer, type BrowserServer } from './browser-server';
import { createRouter } from './router';
import { version } from '../../package.json';

/** Options of {@link startStudioServer}. */
export interface StudioServerOptions extends Omit<
  StudioServiceOptions,
  'logger'
> {
  /** The workspace folder to open (created with the example if new). */
  workspace: string;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  logger?: Logger | 'file';
}

/** A studio service served in browser mode. */
export interface StudioServer {
  service: StudioService;
  server: BrowserServer;
  /** The address to open, with the per-run token in the fragment. */
  url: string;
  close(): Promise<void>;
}

/**
 * Browser mode: opens the workspace's studio service and serves it, with
 * the renderer, over HTTP and WebSocket on 127.0.0.1 only. Pushes go to
 * every page that said hello with the token.
 */
export async function startStudioServer(
  options: StudioServerOptions,
): Promise<StudioServer> {
  const { workspace, rendererDir, port, ...serviceOptions } = options;
  const service = await StudioService.open(workspace, serviceOptions);
  let server: BrowserServer;
  try {
    server = await startBrowserServer({
      rendererDir,
      port,
      version,
      router: createRouter(
        studioHandlers(service, { carrier: 'browser', version }),
      ),
    });
  } catch (error) {
    await service.close();
    throw error;
  }
  const stopPushes = service.onPush((channel, payload) =>
    server.pushes.broadcast(channel, payload),
  );
  return {
    service,
    server,
    url: server.url,
    close: async () => {
      stopPushes();
      await server.close();
      await service.close();
    },
  };
}
