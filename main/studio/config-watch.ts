import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';

import type { Logger } from '../../engine/ports/logger';
import type { StoredHooksConfig } from '../../engine/state/module';
import type { ConfigPending } from '../../preload/contract';

import {
  pendingConfig,
  readConfigFile,
  type ConfigFileText,
} from './config-pending';
import { HOOKS_FILE } from './workspace';

/** The workspace folder of handler modules. */
export const HANDLERS_DIR = 'handlers';

/** What {@link ConfigWatch} reads and whom it tells. */
export interface ConfigWatchOptions {
  workspaceDir: string;
  /** The config the cluster runs (the most applied node's), if known. */
  applied(): StoredHooksConfig | undefined;
  /** hooks.toml or the running config changed. */
  onPending(state: ConfigPending): void;
  /** Files under handlers/ changed (relative names). */
  onHandlersChanged(files: string[]): void;
  logger: Logger;
  /** Quiet time before a burst of changes is read. @defaultValue 100 */
  debounceMs?: number;
}

// editor droppings that are not handler modules: swap, backup and temp
// files, and the file vim creates to probe whether a folder is writable
const SCRATCH = /^\.|~$|\.sw[a-p]$|\.tmp$|^4913$/;

/**
 * Watches a workspace for outside edits of hooks.toml and handlers/. The
 * workspace folder itself is watched rather than the file, because many
 * editors save by writing a new file and renaming it over the old one,
 * which would leave a watch on the old file looking at nothing. Bursts
 * are debounced; a file that vanishes mid-save is looked at once more
 * before it counts as deleted.
 */
export class ConfigWatch {
  private readonly file: string;
  private readonly handlersDir: string;
  private handlersIdentity?: string;
  private readonly debounceMs: number;
  private folder?: FSWatcher;
  private handlers?: FSWatcher;
  private configTimer?: NodeJS.Timeout;
  private handlersTimer?: NodeJS.Timeout;
  private readonly changedHandlers = new Set<string>();
  private lastPushed = '';
  private lastApplied?: StoredHooksConfig;
  private wasMissingOnce = false;
  private queue: Promise<void> = Promise.resolve();
  private isStopped = false;

  constructor(private readonly options: ConfigWatchOptions) {
    this.file = join(options.workspaceDir, HOOKS_FILE);
    this.handlersDir = join(options.workspaceDir, HANDLERS_DIR);
    this.debounceMs = options.debounceMs ?? 100;
  }

  /** Starts watching. */
  start(): void {
    this.folder = this.watchFolder();
    this.handlers = this.watchHandlers();
  }

  /** Stops watching; nothing more is reported. */
  stop(): void {
    this.isStopped = true;
    clearTimeout(this.configTimer);
    clearTimeout(this.handlersTimer);
    this.folder?.close();
    this.handlers?.close();
  }

  /** The file against the running config, read now. */
  async current(): Promise<ConfigPending> {
    return pendingConfig(
      this.file,
      await readConfigFile(this.file),
      this.applied(),
    );
  }

  /** Looks again when the running config may have changed (a commit). */
  checkApplied(): void {
    const stored = this.options.applied();
    if (stored !== undefined && stored.version !== this.lastApplied?.version) {
      this.lastApplied = stored;
      this.refresh();
    }
  }

  /** Reads the file and reports it if anything changed since last time. */
  refresh(): Promise<void> {
    this.queue = this.queue
      .then(() => this.report())
      .catch((error) => {
        this.options.logger.warn('config watch failed', {
          error: String(error),
        });
      });
    return this.queue;
  }

  private applied(): StoredHooksConfig | undefined {
    // every node may be killed: the last config seen still runs
    this.lastApplied = this.options.applied() ?? this.lastApplied;
    return this.lastApplied;
  }

  private async report(): Promise<void> {
    if (this.isStopped) {
      return;
    }
    const onDisk = await readConfigFile(this.file);
    if (this.isMidSave(onDisk)) {
      return;
    }
    const state = pendingConfig(this.file, onDisk, this.applied());
    const key = JSON.stringify([state.text, state.exists, state.applied]);
    if (key !== this.lastPushed && !this.isStopped) {
      this.lastPushed = key;
      this.options.onPending(state);
    }
  }

  // a save by rename can leave no file for a moment: look once more later
  private isMidSave(onDisk: ConfigFileText): boolean {
    if (onDisk.exists || this.wasMissingOnce) {
      this.wasMissingOnce = false;
      return false;
    }
    this.wasMissingOnce = true;
    this.scheduleConfig();
    return true;
  }

  private scheduleConfig(): void {
    clearTimeout(this.configTimer);
    this.configTimer = setTimeout(() => this.refresh(), this.debounceMs);
  }

  private scheduleHandlers(name: string | null): void {
    if (name !== null && SCRATCH.test(basename(name))) {
      return;
    }
    this.changedHandlers.add(name ?? HANDLERS_DIR);
    clearTimeout(this.handlersTimer);
    this.handlersTimer = setTimeout(() => {
      const files = [...this.changedHandlers].sort();
      this.changedHandlers.clear();
      if (!this.isStopped) {
        this.options.onHandlersChanged(files);
      }
    }, this.debounceMs);
  }

  private watchFolder(): FSWatcher | undefined {
    return this.tryWatch(this.options.workspaceDir, false, (name) => {
      if (name === null || name === HOOKS_FILE) {
        this.scheduleConfig();
      }
      if (name === null || name === HANDLERS_DIR) {
        this.rewatchHandlers();
      }
    });
  }

  // handlers/ was created, deleted or replaced: watch the folder there now
  private rewatchHandlers(): void {
    if (folderIdentity(this.handlersDir) === this.handlersIdentity) {
      return;
    }
    this.handlers?.close();
    this.handlers = this.watchHandlers();
    this.scheduleHandlers(null);
  }

  private watchHandlers(): FSWatcher | undefined {
    this.handlersIdentity = folderIdentity(this.handlersDir);
    if (this.handlersIdentity === undefined) {
      return undefined;
    }
    return this.tryWatch(this.handlersDir, true, (name) =>
      this.scheduleHandlers(name),
    );
  }

  private tryWatch(
    dir: string,
    isRecursive: boolean,
    onChange: (name: string | null) => void,
  ): FSWatcher | undefined {
    try {
      const watcher = watch(
        dir,
        { persistent: false, recursive: isRecursive },
        (_event, name) => onChange(name === null ? null : String(name)),
      );
      watcher.on('error', (error) =>
        this.options.logger.warn('watch failed', { dir, error: String(error) }),
      );
      return watcher;
    } catch (error) {
      this.options.logger.warn('cannot watch', { dir, error: String(error) });
      return undefined;
    }
  }
}

function folderIdentity(dir: string): string | undefined {
  const info = statSync(dir, { throwIfNoEntry: false });
  return info?.isDirectory() ? `${info.dev}:${info.ino}` : undefined;
}
