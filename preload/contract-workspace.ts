/**
 * Workspaces in the contract: which one is open, whether it is trusted,
 * the recent list, opening, creating and closing, resetting data a newer
 * studio wrote, outside edits of hooks.toml and the diagnostics bundle.
 * Plain data only.
 *
 * @packageDocumentation
 */

import type { AppliedConfig, Diagnostic } from './contract-config';

/**
 * Why a workspace is trusted: the studio created it on this machine from
 * the example, the user trusted it in the app, or `aspen-studio serve
 * --trust` (or `test`, which runs handlers by definition) did.
 */
export type TrustSource = 'created' | 'user' | 'flag';

/** Where the service runs its workspace. */
export interface WorkspaceInfo {
  /** The workspace folder (hooks.toml, handlers/, scenarios/, data/). */
  dir: string;
  /** Where its cluster data lives (outside the folder). */
  dataDir: string;
  /** True when this run created the workspace with the example. */
  isNew: boolean;
  /**
   * Whether its handlers may run. An untrusted workspace still runs its
   * cluster and records every event; only handlers are paused.
   */
  isTrusted: boolean;
  /** Why it is trusted; null while it is not. */
  trustedBy: TrustSource | null;
}

/** The open workspace, or null when none is. */
export interface WorkspaceStateResponse {
  workspace: WorkspaceInfo | null;
}

/** Trusts the open workspace, or takes the trust back. */
export interface WorkspaceTrustRequest {
  isTrusted: boolean;
}

/** One workspace opened before, newest first. */
export interface RecentWorkspace {
  dir: string;
  /** When it was last opened (Unix ms). */
  openedAt: number;
  /** False when the folder is gone (moved or deleted). */
  exists: boolean;
  isTrusted: boolean;
}

/** The recent workspaces, newest first (at most 10). */
export interface WorkspaceRecentResponse {
  workspaces: RecentWorkspace[];
}

/**
 * Opens a workspace folder, closing the one that is open once the new one
 * runs (if it cannot open, the current one stays). Without `dir` the
 * desktop app asks with a folder picker; browser mode needs `dir`.
 */
export interface WorkspaceOpenRequest {
  dir?: string;
}

/**
 * Creates a workspace from the example in a missing or empty folder,
 * trusts it (it was created on this machine) and opens it.
 */
export interface WorkspaceCreateRequest {
  dir?: string;
}

/** Moves aside the cluster data of a workspace that is not open. */
export interface WorkspaceResetRequest {
  dir: string;
}

/** Where the old data went; null when there was none. */
export interface WorkspaceResetResponse {
  movedTo: string | null;
}

/** The diagnostics bundle just written. */
export interface WorkspaceDiagnosticsResponse {
  /** Absolute path of the `.tar.gz`. */
  file: string;
  bytes: number;
  /** Every file inside, in order. */
  parts: string[];
}

/** One line of a diff between the running config and hooks.toml. */
export interface DiffLine {
  /** `removed`: only in the running config; `added`: only in the file. */
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** 1-based line in the running config, when the line is there. */
  oldLine: number | null;
  /** 1-based line in hooks.toml, when the line is there. */
  newLine: number | null;
}

/**
 * The workspace's hooks.toml against the config the cluster runs. Pushed
 * as `config:pending` whenever either changes (an outside edit, an apply);
 * apply it with `config:apply { text, save: false }` using this `text`,
 * so what is applied is exactly what was shown.
 */
export interface ConfigPending {
  /** Absolute path of hooks.toml. */
  file: string;
  /** Its text on disk; '' when it is missing. */
  text: string;
  /** True when the file exists. */
  exists: boolean;
  /** What the cluster runs; null before the first apply. */
  applied: AppliedConfig | null;
  /** Whether the file equals what the cluster runs. */
  isApplied: boolean;
  /** True when the file has no errors (it could be applied). */
  isValid: boolean;
  diagnostics: Diagnostic[];
  /** Line diff, whole file, from the running config to it; [] when equal. */
  diff: DiffLine[];
}

/** Whether the workspace changed: opened, closed or (un)trusted. */
export interface WorkspaceChanged {
  workspace: WorkspaceInfo | null;
}
