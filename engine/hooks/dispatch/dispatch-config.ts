import {
  JOB_PRIORITIES,
  PRODUCTION_GRACE_MS,
  STUDIO_DEFAULT_GRACE_MS,
} from '../config/constants';
import { parseHooksToml } from '../config/parse';
import { studioSettings, type HookHandlerConfig } from '../config/schema';
import { matchProduction, matchSubject } from '../../pubsub/subject';
import type { Priority } from '../../state/jobs/types';
import type { StoredHooksConfig } from '../../state/module';

/**
 * The hooks configuration the log holds, compiled into what dispatch needs:
 * each handler's mode, matcher, priority and studio settings, and the
 * definition a job captures when it is created. Compiling is pure (the
 * same text gives the same plan on every replica), so it is cached by
 * config version.
 *
 * @packageDocumentation
 */

/**
 * The rules dispatch follows (`[studio] fidelity`): the studio's, or
 * production's as they are (see `./direct-routing`).
 */
export type Fidelity = 'studio' | 'production';

/** How a hook runs: at once and once (`direct`), or as a durable job. */
export type HookMode = 'direct' | 'job';

/** What a handler runs, as captured by a job or a direct delivery. */
export type HandlerTarget =
  | { type: 'shell'; command: string; workingDir: string | null }
  | { type: 'in_process'; handlerId: string }
  | { type: 'forward'; targetCluster: string; targetTopic: string };

/**
 * A handler definition frozen at one config version: a job carries it, so
 * editing the config never changes a job already created (DESIGN §3.3).
 * Plain data, stored in the replicated state.
 */
export type HandlerDefinition = HandlerTarget & {
  name: string;
  pattern: string;
  /** The handler's `timeout_ms`. */
  timeoutMs: number;
  /** SIGTERM→SIGKILL gap of a shell handler (`studio_grace_ms`). */
  graceMs: number;
  /** The config version the definition was taken from. */
  configVersion: number;
};

/** A token bucket of one hook (`studio_rate_limit`). */
export interface HookRateLimit {
  perSecond: number;
  burst: number;
}

/** One handler of the config, ready for matching and dispatch. */
export interface PlannedHook {
  name: string;
  pattern: string;
  mode: HookMode;
  isEnabled: boolean;
  definition: HandlerDefinition;
  /** Total attempts of a job (`retry_count`; 0 behaves as 1). */
  retryCount: number;
  /** `job_priority` as production reads it: unknown strings are normal. */
  priority: Priority;
  /** Retry back-off drawn from [d/2, d] (`studio_jitter`). */
  hasJitter: boolean;
  rateLimit?: HookRateLimit;
  /** Repeats of one (topic, payload) inside this window are dropped. */
  dedupWindowMs?: number;
  /** Most deliveries waiting (`studio_queue_bound`); more are dropped. */
  queueBound?: number;
  /** Whether the hook's pattern matches a topic (per the fidelity). */
  matches(topic: string): boolean;
}

/** The whole config as dispatch reads it. */
export interface DispatchConfig {
  /** The stored version; 0 before any config was stored. */
  version: number;
  /** `[hooks] enabled`, false also when the stored text is invalid. */
  isEnabled: boolean;
  fidelity: Fidelity;
  /** Causation depth at which dispatch stops (`[studio] max_depth`). */
  maxDepth: number;
  /** Extra environment of shell handlers (`[studio.env]`). */
  env: Record<string, string>;
  /** Every handler, enabled or not, in config order. */
  hooks: readonly PlannedHook[];
  /** Why the stored text gave no config, when it did not. */
  problem?: string;
}

/** The config before any `hooks.config` entry: nothing dispatches. */
export const EMPTY_DISPATCH_CONFIG: DispatchConfig = {
  version: 0,
  isEnabled: false,
  fidelity: 'studio',
  maxDepth: 8,
  env: {},
  hooks: [],
};

/**
 * Production's priority mapping (reference §1.5): exact, case-sensitive
 * names; anything else, a typo included, is `normal`.
 */
export function priorityOf(jobPriority: string | undefined): Priority {
  const known = JOB_PRIORITIES as readonly string[];
  return jobPriority !== undefined && known.includes(jobPriority)
    ? (jobPriority as Priority)
    : 'normal';
}

function targetOf(handler: HookHandlerConfig): HandlerTarget {
  switch (handler.type) {
    case 'shell':
      return {
        type: 'shell',
        command: handler.command,
        workingDir: handler.working_dir ?? null,
      };
    case 'in_process':
      return { type: 'in_process', handlerId: handler.handler_id };
    case 'forward':
      return {
        type: 'forward',
        targetCluster: handler.target_cluster,
        targetTopic: handler.target_topic,
      };
  }
}

function plan(
  handler: HookHandlerConfig,
  version: number,
  isProduction: boolean,
): PlannedHook {
  const { name, pattern } = handler;
  const match = isProduction ? matchProduction : matchSubject;
  const limit = handler.studio_rate_limit;
  return {
    name,
    pattern,
    mode: handler.execution_mode,
    isEnabled: handler.enabled,
    definition: {
      ...targetOf(handler),
      name,
      pattern,
      timeoutMs: handler.timeout_ms,
      // production ignores studio_grace_ms: its kill grace is always 5 s
      graceMs: isProduction
        ? PRODUCTION_GRACE_MS
        : (handler.studio_grace_ms ?? STUDIO_DEFAULT_GRACE_MS),
      configVersion: version,
    },
    retryCount: handler.retry_count,
    priority: priorityOf(handler.job_priority),
    hasJitter: handler.studio_jitter ?? false,
    rateLimit:
      limit === undefined
        ? undefined
        : { perSecond: limit.per_second, burst: limit.burst },
    dedupWindowMs: handler.studio_dedup_window_ms,
    queueBound: handler.studio_queue_bound,
    matches: (topic) => match(pattern, topic),
  };
}

/** Compiles a stored config; pure, so every replica gets the same plan. */
export function compileDispatchConfig(
  stored: StoredHooksConfig | undefined,
): DispatchConfig {
  if (stored === undefined) {
    return EMPTY_DISPATCH_CONFIG;
  }
  const { config, diagnostics } = parseHooksToml(stored.text, 'hooks.toml');
  if (config === undefined) {
    const first = diagnostics.find((d) => d.severity === 'error');
    const where = first === undefined ? '' : `${first.line}:${first.column}: `;
    return {
      ...EMPTY_DISPATCH_CONFIG,
      version: stored.version,
      problem: `${where}${first?.message ?? 'invalid hooks config'}`,
    };
  }
  const settings = studioSettings(config);
  const isProduction = settings.fidelity === 'production';
  return {
    version: stored.version,
    isEnabled: config.enabled,
    fidelity: settings.fidelity,
    maxDepth: settings.max_depth,
    env: { ...settings.env },
    hooks: config.handlers.map((h) => plan(h, stored.version, isProduction)),
  };
}

// per config, the matches of recent topics: topics repeat a lot (every
// job writes several `$jobs.*` events), and a config never changes
const matchMemo = new WeakMap<DispatchConfig, Map<string, PlannedHook[]>>();
const MEMO_TOPICS = 1024;

/** The enabled hooks of `mode` whose pattern matches `topic`. */
export function matchingHooks(
  config: DispatchConfig,
  topic: string,
  mode: HookMode,
): readonly PlannedHook[] {
  if (!config.isEnabled || config.hooks.length === 0) {
    return [];
  }
  let memo = matchMemo.get(config);
  if (memo === undefined) {
    memo = new Map();
    matchMemo.set(config, memo);
  }
  const key = `${mode}\n${topic}`;
  let hooks = memo.get(key);
  if (hooks === undefined) {
    hooks = config.hooks.filter(
      (hook) => hook.isEnabled && hook.mode === mode && hook.matches(topic),
    );
    if (memo.size >= MEMO_TOPICS) {
      memo.clear();
    }
    memo.set(key, hooks);
  }
  return hooks;
}

/**
 * Compiled configs by version. The log only ever moves the version
 * forward, so the latest one is nearly always the one asked for.
 */
export class DispatchConfigCache {
  private latest: DispatchConfig = EMPTY_DISPATCH_CONFIG;

  /** The compiled form of `stored` (compiled once per version). */
  get(stored: StoredHooksConfig | undefined): DispatchConfig {
    const version = stored?.version ?? 0;
    if (version !== this.latest.version) {
      this.latest = compileDispatchConfig(stored);
    }
    return this.latest;
  }
}
