import { existsSync } from 'node:fs';
import { readdir, realpath, rename } from 'node:fs/promises';
import { resolve } from 'node:path';

import type {
  PushChannel,
  PushMap,
  RecentWorkspace,
  WorkspaceInfo,
} from '../../preload/contract';

import { StudioError } from './errors';
import { workspaceDataDir } from './paths';
import type { PushSink } from './push-frames';
import { RecentWorkspaces } from './recent-workspaces';
import { StudioService, type StudioServiceOptions } from './studio-service';
import { TrustStore } from './trust-store';
import { lockWorkspace } from './workspace-lock';

/** Options of a {@link WorkspaceHost}: those of every service it opens. */
export interface WorkspaceHostOptions extends Omit<
  StudioServiceOptions,
  'trust'
> {
  /**
   * Asks the user for a folder (the desktop app's dialog); resolves
   * undefined when they cancel. Without it a folder must be named.
   */
  pickFolder?(purpose: 'open' | 'create'): Promise<string | undefined>;
}

/**
 * The app around the studio service: at most one workspace open at a
 * time, opened, created from the example, switched and closed on request,
 * with the recent list. Pushes of whichever service is open reach every
 * front end, plus `workspace:changed` when the workspace itself changes.
 * Requests that change the workspace run one at a time.
 */
export class WorkspaceHost {
  private service?: StudioService;
  private readonly sinks = new Set<PushSink>();
  private stopForwarding?: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly recents: RecentWorkspaces;

  constructor(private readonly options: WorkspaceHostOptions) {
    this.recents = new RecentWorkspaces(
      options.dataDir,
      new TrustStore(options.dataDir),
    );
  }

  /** The open workspace's service, if one is open. */
  get current(): StudioService | undefined {
    return this.service;
  }

  /**
   * The open workspace's service.
   *
   * @throws `NO_WORKSPACE` when none is open.
   */
  require(): StudioService {
    if (this.service === undefined) {
      throw new StudioError('NO_WORKSPACE', 'no workspace is open');
    }
    return this.service;
  }

  /** Adds a destination for pushes; returns the removal. */
  onPush(sink: PushSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /**
   * Opens the workspace in `dir` (or one the user picks; null when they
   * cancel). The current one closes once the new one runs; when the new
   * one cannot open, the current one stays.
   *
   * @throws `BAD_WORKSPACE` for a folder that does not exist,
   *   `WORKSPACE_LOCKED`, `UNSUPPORTED_FORMAT`.
   */
  open(
    dir?: string,
    flags: { trust?: boolean } = {},
  ): Promise<WorkspaceInfo | null> {
    return this.serial(async () => {
      const chosen = dir ?? (await this.pick('open'));
      if (chosen === undefined) {
        return null;
      }
      if (!existsSync(chosen)) {
        throw new StudioError(
          'BAD_WORKSPACE',
          `there is no folder ${chosen}; create a workspace there instead`,
        );
      }
      return this.switchTo(chosen, flags.trust);
    });
  }

  /**
   * Creates a workspace from the example in a missing or empty folder (or
   * one the user picks), trusts it, since it was created on this machine,
   * and opens it.
   *
   * @throws `WORKSPACE_NOT_EMPTY` for a folder that holds files.
   */
  create(dir?: string): Promise<WorkspaceInfo | null> {
    return this.serial(async () => {
      const chosen = dir ?? (await this.pick('create'));
      if (chosen === undefined) {
        return null;
      }
      if (existsSync(chosen)) {
        const names = (await readdir(chosen)).filter((n) => !n.startsWith('.'));
        if (names.length > 0) {
          throw new StudioError(
            'WORKSPACE_NOT_EMPTY',
            `${chosen} is not empty; a workspace is created in an empty ` +
              'or new folder (open this one instead)',
          );
        }
      }
      return this.switchTo(chosen);
    });
  }

  /** Closes the open workspace, if any. */
  close(): Promise<void> {
    return this.serial(async () => {
      const service = this.service;
      if (service === undefined) {
        return;
      }
      this.detach();
      await service.close();
      this.push('workspace:changed', { workspace: null });
    });
  }

  /** The recent workspaces, newest first. */
  recent(): Promise<RecentWorkspace[]> {
    return this.recents.list();
  }

  /**
   * Moves the cluster data of a workspace that is not open aside (to
   * `<its data folder>.reset-<time>`), so it starts afresh: the way out
   * when a newer studio wrote it. The workspace folder is not touched.
   *
   * @throws `WORKSPACE_OPEN` when it is open here, `WORKSPACE_LOCKED` when
   *   another process has it open.
   */
  reset(dir: string): Promise<string | null> {
    return this.serial(async () => {
      // a folder that is gone is still keyed by the path it had
      const real = await realpath(dir).catch(() => resolve(dir));
      if (this.service?.workspace.dir === real) {
        throw new StudioError(
          'WORKSPACE_OPEN',
          `${real} is open; close it before resetting its data`,
        );
      }
      return resetWorkspaceData(this.options.dataDir, real);
    });
  }

  /** Closes the open workspace and forgets every front end. */
  async dispose(): Promise<void> {
    await this.close();
    this.sinks.clear();
  }

  private async switchTo(dir: string, trust?: boolean): Promise<WorkspaceInfo> {
    const current = this.service;
    const real = await realpath(dir).catch(() => undefined);
    if (current !== undefined && real === current.workspace.dir) {
      return current.workspace;
    }
    const { pickFolder: _pick, ...options } = this.options;
    const next = await StudioService.open(dir, { ...options, trust });
    this.detach();
    this.service = next;
    this.stopForwarding = next.onPush((channel, payload) =>
      this.push(channel, payload),
    );
    await current?.close();
    this.push('workspace:changed', { workspace: next.workspace });
    return next.workspace;
  }

  private detach(): void {
    this.stopForwarding?.();
    this.stopForwarding = undefined;
    this.service = undefined;
  }

  private async pick(purpose: 'open' | 'create'): Promise<string | undefined> {
    if (this.options.pickFolder === undefined) {
      throw new StudioError(
        'UNAVAILABLE',
        `name the folder to ${purpose} (dir): this front end has no picker`,
      );
    }
    return this.options.pickFolder(purpose);
  }

  private push<C extends PushChannel>(channel: C, payload: PushMap[C]): void {
    for (const sink of this.sinks) {
      try {
        sink(channel, payload);
      } catch {
        // a front end that went away must not stop the others
      }
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }
}

/**
 * Moves a workspace's data folder aside under its lock; the moved copy's
 * path, or null when there was no data.
 *
 * @throws `WORKSPACE_LOCKED` when a studio has the workspace open.
 */
export async function resetWorkspaceData(
  home: string,
  realWorkspace: string,
): Promise<string | null> {
  const dataDir = workspaceDataDir(home, realWorkspace);
  if (!existsSync(dataDir)) {
    return null;
  }
  const movedTo = `${dataDir}.reset-${Date.now()}`;
  const lock = await lockWorkspace(dataDir, realWorkspace, 'a data reset');
  let isMoved = false;
  try {
    // moved while locked, so no studio can open it halfway
    await rename(dataDir, movedTo);
    isMoved = true;
  } catch {
    // Windows refuses to move a folder with open files: unlock, then move
  } finally {
    await lock.release();
  }
  if (!isMoved) {
    await rename(dataDir, movedTo);
  }
  return movedTo;
}
