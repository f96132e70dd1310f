/**
 * The hook configuration as production deserializes it (reference §1.1–1.3,
 * the serde shape of `HooksConfig`), plus the studio-only keys. This zod
 * schema is the single definition: the TypeScript types, the JSON Schema
 * for the editor and the list of known keys all come from it.
 *
 * Production ignores keys it does not know, so every object here is loose:
 * unknown keys survive parsing and export, and validation warns about them.
 *
 * @packageDocumentation
 */

import { z } from 'zod';

import {
  DEFAULT_RETRY_COUNT,
  DEFAULT_TIMEOUT_MS,
  STUDIO_DEFAULT_MAX_DEPTH,
} from './constants';

// serde's u64 and u32, narrowed to what a JavaScript number holds exactly
const u64 = () => z.int().min(0);
const u32 = () => z.int().min(0).max(0xffff_ffff);

/**
 * Studio-only token bucket for one handler: at most `burst` deliveries at
 * once, refilled at `per_second`. Production has no rate limiting.
 */
export const RateLimitSchema = z
  .looseObject({
    per_second: z
      .number()
      .positive()
      .describe('Tokens added per second; fractions allowed.'),
    burst: z.int().min(1).describe('Bucket size: deliveries allowed at once.'),
  })
  .describe('Studio only: token-bucket rate limit for this handler.');

// fields every handler has, whatever its type
const COMMON = {
  name: z.string().describe('Unique handler name; it keys the metrics.'),
  pattern: z
    .string()
    .describe('NATS-style topic pattern: `*` one token, `>` the rest.'),
  execution_mode: z
    .enum(['direct', 'job'])
    .default('direct')
    .describe('`direct` runs once inline; `job` goes through the job queue.'),
  timeout_ms: u64()
    .default(DEFAULT_TIMEOUT_MS)
    .describe('Time limit of one execution, in ms (max 30000).'),
  retry_count: u32()
    .default(DEFAULT_RETRY_COUNT)
    .describe('Total attempts in job mode (max 5); ignored in direct mode.'),
  job_priority: z
    .string()
    .optional()
    .describe('Job mode: critical, high, normal or low; others mean normal.'),
  enabled: z
    .boolean()
    .default(true)
    .describe('A disabled handler is validated but never runs.'),
  studio_rate_limit: RateLimitSchema.optional(),
  studio_dedup_window_ms: u64()
    .optional()
    .describe(
      'Studio only: drop a repeat of the same event within this window.',
    ),
  studio_jitter: z
    .boolean()
    .optional()
    .describe('Studio only: randomise retry back-off (production has none).'),
  studio_queue_bound: z
    .int()
    .min(1)
    .optional()
    .describe('Studio only: most deliveries waiting; more are dropped.'),
  studio_grace_ms: u64()
    .optional()
    .describe('Studio only: SIGTERM to SIGKILL gap for shell (default 5000).'),
};

/** An `in_process` handler: `handler_id` names a registered handler. */
export const InProcessHandlerSchema = z.looseObject({
  ...COMMON,
  type: z.literal('in_process').describe('Handler type.'),
  handler_id: z.string().describe('Key of the handler module (max 128 bytes).'),
});

/** A `shell` handler: `sh -c command`, optionally in `working_dir`. */
export const ShellHandlerSchema = z.looseObject({
  ...COMMON,
  type: z.literal('shell').describe('Handler type.'),
  command: z.string().describe('Run as `sh -c command` (max 4096 bytes).'),
  working_dir: z
    .string()
    .optional()
    .describe('Working directory of the command.'),
});

/** A `forward` handler: re-publishes the event to another cluster. */
export const ForwardHandlerSchema = z.looseObject({
  ...COMMON,
  type: z.literal('forward').describe('Handler type.'),
  target_cluster: z
    .string()
    .describe('Cluster ticket of the receiving cluster (`aspen…`).'),
  target_topic: z
    .string()
    .describe('Topic on the receiver (production never sends it).'),
});

/** One `[[hooks.handlers]]` entry, tagged by `type` as serde flattens it. */
export const HookHandlerSchema = z.discriminatedUnion('type', [
  InProcessHandlerSchema,
  ShellHandlerSchema,
  ForwardHandlerSchema,
]);

/** The `[studio]` table: workspace settings production never reads. */
export const StudioSettingsSchema = z
  .looseObject({
    fidelity: z
      .enum(['studio', 'production'])
      .default('studio')
      .describe('`production` runs the config under production rules.'),
    env: z
      .record(z.string(), z.string())
      .default({})
      .describe('Extra environment variables for shell handlers.'),
    max_depth: z
      .int()
      .min(1)
      .default(STUDIO_DEFAULT_MAX_DEPTH)
      .describe('Causation depth at which dispatch stops a loop.'),
  })
  .describe('Studio-only workspace settings; production ignores this table.');

/**
 * The whole configuration: production's `HooksConfig` (the `[hooks]` table
 * of hooks.toml, or the JSON object) with the `[studio]` table attached.
 * Serde's defaults apply: `enabled` true, no topics, no handlers.
 */
export const HooksConfigSchema = z.looseObject({
  enabled: z
    .boolean()
    .default(true)
    .describe('Master switch: false and nothing is dispatched.'),
  publish_topics: z
    .array(z.string())
    .default([])
    .describe('Topic patterns to publish; production never reads this.'),
  handlers: z
    .array(HookHandlerSchema)
    .default([])
    .describe('The handlers (max 64).'),
  studio: StudioSettingsSchema.optional(),
});

/** A parsed, defaulted hook configuration. */
export type HooksConfig = z.output<typeof HooksConfigSchema>;

/** One parsed handler, a union over its `type`. */
export type HookHandlerConfig = z.output<typeof HookHandlerSchema>;

/** The `[studio]` table after defaults. */
export type StudioSettings = z.output<typeof StudioSettingsSchema>;

/** A handler's `type` tag. */
export type HookHandlerType = HookHandlerConfig['type'];

function keysOf(schema: { shape: object }): readonly string[] {
  return Object.keys(schema.shape);
}

/** Keys each object of the config knows; anything else is unknown. */
export const KNOWN_KEYS = {
  config: keysOf(HooksConfigSchema),
  studio: keysOf(StudioSettingsSchema),
  rateLimit: keysOf(RateLimitSchema),
  handler: {
    in_process: keysOf(InProcessHandlerSchema),
    shell: keysOf(ShellHandlerSchema),
    forward: keysOf(ForwardHandlerSchema),
  },
} as const;

// keys whose value must be a TOML/JSON integer literal, not `5000.0`
function integerKeys(shape: Record<string, z.ZodType>): readonly string[] {
  return Object.keys(shape).filter((key) => {
    let field = shape[key];
    while (field instanceof z.ZodOptional || field instanceof z.ZodDefault) {
      field = field.unwrap() as z.ZodType;
    }
    return field instanceof z.ZodNumber && field.isInt;
  });
}

/** Keys whose values serde reads as integers, per object. */
export const INTEGER_KEYS = {
  handler: integerKeys(InProcessHandlerSchema.shape),
  rateLimit: integerKeys(RateLimitSchema.shape),
  studio: integerKeys(StudioSettingsSchema.shape),
} as const;

/** The handler keys that exist only in the studio; production ignores them. */
export const STUDIO_HANDLER_KEYS = Object.keys(COMMON).filter((key) =>
  key.startsWith('studio_'),
);

/** Handler keys that only job mode reads. */
export const JOB_ONLY_KEYS = ['retry_count', 'job_priority'] as const;

/** Every handler type, in the order error messages list them. */
export const HANDLER_TYPES = HookHandlerSchema.options.map(
  (option) => option.shape.type.value,
);

/**
 * The studio settings in effect: the `[studio]` table, or its defaults
 * when the file has none.
 */
export function studioSettings(config: HooksConfig): StudioSettings {
  return config.studio ?? StudioSettingsSchema.parse({});
}
