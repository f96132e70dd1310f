/**
 * Configuration, jobs, hooks and pattern matching in the contract. The
 * nested shapes that the engine already defines as plain data (diagnostics,
 * compatibility findings, job views, hook metrics) are reused by type.
 *
 * @packageDocumentation
 */

import type {
  CompatibilityFinding,
  Diagnostic,
} from '../engine/hooks/config/index';
import type { HookMetricsSnapshot } from '../engine/hooks/reliability/hook-metrics';
import type { DlqGroup, JobsView } from '../engine/state/jobs/queries';

export type { CompatibilityFinding, Diagnostic, DlqGroup, JobsView };
export type { HookMetricsSnapshot };

/** The hooks config stored in the log. */
export interface AppliedConfig {
  /** Goes up by one with every apply, from 1. */
  version: number;
  text: string;
  /** Raft index of the entry that stored it. */
  index: number;
}

/** The workspace's hooks.toml next to what the cluster holds. */
export interface ConfigGetResponse {
  /** Absolute path of the workspace's hooks.toml. */
  file: string;
  /** Its text on disk ('' when missing). */
  text: string;
  /** What the log holds; null before the first apply. */
  applied: AppliedConfig | null;
  /** Whether the file equals what the log holds. */
  isApplied: boolean;
  /** Problems of the file's text. */
  diagnostics: Diagnostic[];
}

/** A config text to check. */
export interface ConfigValidateRequest {
  text: string;
  /** Named in diagnostics. @defaultValue 'hooks.toml' */
  file?: string;
}

/** The verdict on a config text. */
export interface ConfigValidateResponse {
  /** True when no diagnostic is an error. */
  isValid: boolean;
  diagnostics: Diagnostic[];
}

/** Validates a config text, stores it in the log and saves the file. */
export interface ConfigApplyRequest {
  text: string;
  /** Also write it to the workspace's hooks.toml. @defaultValue true */
  save?: boolean;
}

/** The version the log now holds, with any warnings. */
export interface ConfigApplyResponse {
  version: number;
  index: number;
  warnings: Diagnostic[];
}

/** The forms a config can be exported in. */
export type ExportFormat = 'toml' | 'json' | 'plugin-kv';

/** Exports a config in production's shapes. */
export interface ConfigExportRequest {
  /** The config text. @defaultValue the workspace's hooks.toml */
  text?: string;
  format: ExportFormat;
  /** Leave out the studio-only keys. @defaultValue false */
  stripStudioKeys?: boolean;
}

/** The exported text and where production differs. */
export interface ConfigExportResponse {
  format: ExportFormat;
  content: string;
  report: CompatibilityFinding[];
}

/** Reads a production config (TOML or JSON) into hooks.toml form. */
export interface ConfigImportRequest {
  text: string;
  format: 'toml' | 'json';
}

/** The config as hooks.toml text; nothing is applied. */
export interface ConfigImportResponse {
  text: string;
  warnings: Diagnostic[];
}

/** Which JSON Schema to return. */
export interface ConfigSchemaRequest {
  /** @defaultValue 'toml' */
  form?: 'toml' | 'json';
}

/** A JSON Schema (draft 2020-12) for the editor. */
export interface ConfigSchemaResponse {
  schema: Record<string, unknown>;
}

/** The queues by priority and the DLQ grouped by error. */
export interface JobsListResponse {
  jobs: JobsView;
  dlq: DlqGroup[];
}

/** Which DLQ entries a redrive or purge takes: by id, or by filter. */
export type DlqSelectorRequest =
  { ids: string[] } | { all: { queue?: string; error?: string } };

/** What a redrive did. */
export interface JobsRedriveResponse {
  redriven: { job: string; previousAttempts: number; redriveCount: number }[];
  /** Ids that were not in the DLQ. */
  skipped: string[];
  /** Always true: redriven jobs start counting attempts from 0 again. */
  isAttemptCountReset: true;
}

/** What a purge did. */
export interface JobsPurgeResponse {
  purged: string[];
  skipped: string[];
}

/** One configured hook and its live metrics. */
export interface HookView {
  name: string;
  pattern: string;
  type: 'in_process' | 'shell' | 'forward';
  executionMode: 'direct' | 'job';
  enabled: boolean;
  /** Summed over the nodes; null while no dispatcher runs. */
  metrics: HookMetricsSnapshot | null;
}

/** The hooks of the applied config. */
export interface HooksListResponse {
  /** Whether a hook dispatcher runs on the cluster. */
  isDispatching: boolean;
  /**
   * Whether handlers are paused because the workspace is not trusted
   * (events are still recorded; nothing is dispatched until it is).
   */
  isPaused: boolean;
  /** Version of the applied config; null before the first apply. */
  configVersion: number | null;
  hooks: HookView[];
}

/**
 * Tests subjects against one pattern, or against the hooks of a config
 * (the given text, or the applied one when `text` is absent).
 */
export type MatchRequest =
  | { mode: 'pattern'; pattern: string; subjects: string[] }
  | { mode: 'config'; text?: string; subjects: string[] };

/** The verdict for one subject. */
export interface SubjectMatch {
  subject: string;
  verdict: 'match' | 'no-match' | 'invalid';
  /** Why the subject is invalid. */
  reason?: string;
  /** Pattern mode: what production's looser matcher would say. */
  isProductionMatch?: boolean;
  /** Config mode: the enabled hooks that receive it, in config order. */
  hooks?: string[];
}

/** One verdict per subject, in the order given. */
export interface MatchResponse {
  results: SubjectMatch[];
}
