import fc from 'fast-check';

import {
  HooksConfigSchema,
  KNOWN_KEYS,
  type HooksConfig,
} from '../../../../engine/hooks/config/schema';

// characters that break naive quoting, mixed with any code point
const AWKWARD = fc.constantFrom(
  '"',
  "'",
  '\\',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u007f',
  '\u001b',
  '#',
  '=',
  '[',
  '{',
  'é',
  '中',
  '🪝',
);
const ANY_CHAR = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });

/** Any text, weighted towards characters that need escaping. */
export const text = (minLength = 0) =>
  fc.string({ unit: fc.oneof(AWKWARD, ANY_CHAR), minLength, maxLength: 12 });

// pattern tokens: no dot, wildcard, whitespace or control character
const TOKEN_CHAR = fc.oneof(
  fc.constantFrom('"', "'", '\\', '#', '=', '$', 'é', '中', '🪝'),
  fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })
    .filter((char) => !/[.*> ]/.test(char)),
);
const token = fc.oneof(
  fc.string({ unit: TOKEN_CHAR, minLength: 1, maxLength: 6 }),
  fc.constant('*'),
);

/** A pattern the strict grammar accepts. */
export const pattern = fc
  .tuple(fc.array(token, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([tokens, hasTail]) => [...tokens, ...(hasTail ? ['>'] : [])].join('.'));

const ALL_KNOWN = new Set<string>([
  ...KNOWN_KEYS.config,
  ...KNOWN_KEYS.studio,
  ...Object.values(KNOWN_KEYS.handler).flat(),
  '__proto__',
]);

// unknown keys kept for round trip; TOML has no null, so none here
const extraValue = fc.oneof(
  text(),
  fc.integer(),
  fc.boolean(),
  fc.array(text(), { maxLength: 2 }),
  fc.dictionary(text(), fc.integer(), { maxKeys: 2 }),
);
const extras = fc.dictionary(
  text().filter((key) => !ALL_KNOWN.has(key)),
  extraValue,
  { maxKeys: 2 },
);

const common = fc.record(
  {
    execution_mode: fc.constantFrom('direct', 'job'),
    timeout_ms: fc.integer({ min: 0, max: 30_000 }),
    retry_count: fc.integer({ min: 0, max: 5 }),
    job_priority: text(),
    enabled: fc.boolean(),
    studio_rate_limit: fc.record({
      per_second: fc.double({ min: 0.001, max: 1e6, noNaN: true }),
      burst: fc.integer({ min: 1, max: 1000 }),
    }),
    studio_dedup_window_ms: fc.nat(),
    studio_jitter: fc.boolean(),
    studio_queue_bound: fc.integer({ min: 1, max: 1000 }),
    studio_grace_ms: fc.nat(),
  },
  { requiredKeys: ['execution_mode', 'timeout_ms', 'retry_count'] },
);

const variant = fc.oneof(
  fc.record({ type: fc.constant('in_process'), handler_id: text(1) }),
  fc.record(
    { type: fc.constant('shell'), command: text(1), working_dir: text() },
    { requiredKeys: ['type', 'command'] },
  ),
  fc.record({
    type: fc.constant('forward'),
    target_cluster: text(1),
    target_topic: text(1),
  }),
);

const handlers = fc.uniqueArray(
  fc
    .tuple(text(1), pattern, common, variant, extras)
    .map(([name, p, fields, kind, extra]) => ({
      ...extra,
      name,
      pattern: p,
      ...fields,
      ...kind,
    })),
  { maxLength: 4, selector: (handler) => handler.name },
);

const studio = fc.record({
  fidelity: fc.constantFrom('studio', 'production'),
  env: fc.dictionary(text(), text(), { maxKeys: 3 }),
  max_depth: fc.integer({ min: 1, max: 64 }),
});

/** A valid config with serde's defaults applied, as parsing yields it. */
export const hooksConfig: fc.Arbitrary<HooksConfig> = fc
  .record(
    {
      enabled: fc.boolean(),
      publish_topics: fc.array(pattern, { maxLength: 3 }),
      handlers,
      studio,
      extra: extras,
    },
    { requiredKeys: ['enabled', 'publish_topics', 'handlers', 'extra'] },
  )
  .map(({ extra, ...config }) =>
    HooksConfigSchema.parse({ ...extra, ...config }),
  );
