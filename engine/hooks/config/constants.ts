/**
 * Production's hook limits and serde defaults (reference §1.6), and the
 * defaults of the studio-only settings. Validation and export read these;
 * nothing here is a studio choice unless its name starts with `STUDIO_`.
 *
 * @packageDocumentation
 */

/** Most handlers in one config (`MAX_HANDLERS`). */
export const MAX_HANDLERS = 64;

/** Most UTF-8 bytes in a handler name (`MAX_HANDLER_NAME_SIZE`). */
export const MAX_HANDLER_NAME_BYTES = 128;

/** Most UTF-8 bytes in a pattern or publish topic (`MAX_PATTERN_SIZE`). */
export const MAX_PATTERN_BYTES = 256;

/** Most UTF-8 bytes in an in-process `handler_id`. */
export const MAX_HANDLER_ID_BYTES = 128;

/** Most UTF-8 bytes in a shell command (`MAX_SHELL_COMMAND_SIZE`). */
export const MAX_SHELL_COMMAND_BYTES = 4096;

/** Largest `timeout_ms` validation accepts (`MAX_HANDLER_TIMEOUT_MS`). */
export const MAX_TIMEOUT_MS = 30_000;

/** Largest `retry_count` validation accepts (`MAX_HANDLER_RETRY_COUNT`). */
export const MAX_RETRY_COUNT = 5;

/** Serde default of `timeout_ms` (`DEFAULT_HANDLER_TIMEOUT_MS`). */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Serde default of `retry_count` (`DEFAULT_HANDLER_RETRY_COUNT`). */
export const DEFAULT_RETRY_COUNT = 3;

/** Direct executions production runs at once before it drops. */
export const MAX_CONCURRENT_EXECUTIONS = 32;

/** Production's fixed SIGTERM→SIGKILL gap for shell handlers, in ms. */
export const PRODUCTION_GRACE_MS = 5000;

/**
 * The priority strings production recognises, matched case-sensitively;
 * any other string becomes `normal` (reference §1.5).
 */
export const JOB_PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;

/** KV key of the hooks plugin's config record (reference §1.9). */
export const PLUGIN_CONFIG_KEY = '__hooks:config';

/** Studio default of `studio_grace_ms`: production's 5 s. */
export const STUDIO_DEFAULT_GRACE_MS = PRODUCTION_GRACE_MS;

/** Studio default of `[studio] max_depth`, where loop cutting starts. */
export const STUDIO_DEFAULT_MAX_DEPTH = 8;
