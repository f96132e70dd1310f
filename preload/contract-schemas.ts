/**
 * A zod schema for every request of the contract. The service checks each
 * request against its channel's schema on arrival, whichever carrier
 * brought it, and answers a bad one with `BAD_REQUEST` and `where: why`.
 * The renderer may use the same schemas to check forms before sending.
 *
 * @packageDocumentation
 */

import { z } from 'zod';

import type {
  ContractError,
  InvokeChannel,
  InvokeMap,
  JsonValue,
} from './contract';
import { MAX_TIME_SPEED, MIN_TIME_SPEED } from './contract-time';

/** Largest config or payload text a request may carry (1 MiB). */
export const MAX_TEXT_BYTES = 1 << 20;

/** Most subjects one `match:test` request may test. */
export const MAX_SUBJECTS = 1000;

/** Most events one `events:range` page may return. */
export const MAX_RANGE_LIMIT = 1000;

/** Deepest nesting a JSON payload may have. */
export const MAX_JSON_DEPTH = 64;

const nodeId = z
  .int({ error: 'expected a node id (a positive integer)' })
  .min(1, { error: 'expected a node id (a positive integer)' });

const probability = z
  .number({ error: 'expected a probability in [0, 1]' })
  .min(0, { error: 'expected a probability in [0, 1]' })
  .max(1, { error: 'expected a probability in [0, 1]' });

const eventId = z
  .string()
  .regex(/^\d{1,15}\.\d{1,9}$/, { error: 'expected an event id like 12.0' });

const text = z
  .string()
  .max(MAX_TEXT_BYTES, { error: `longer than ${MAX_TEXT_BYTES} characters` });

const empty = z.strictObject({});

/** Where in a value the first thing JSON cannot carry is, and what it is. */
function jsonProblem(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; why: string } | undefined {
  if (path.length > MAX_JSON_DEPTH) {
    return { path, why: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  if (value === null || typeof value === 'string') {
    return undefined;
  }
  if (typeof value === 'boolean') {
    return undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? undefined
      : { path, why: `${value} is not a JSON number` };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonProblem(value[i], [...path, i]);
      if (problem !== undefined) {
        return problem;
      }
    }
    return undefined;
  }
  const proto =
    typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    const kind = typeof value === 'object' ? 'object' : typeof value;
    return { path, why: `a ${kind} value is not JSON` };
  }
  for (const [key, item] of Object.entries(value as object)) {
    const problem = jsonProblem(item, [...path, key]);
    if (problem !== undefined) {
      return problem;
    }
  }
  return undefined;
}

const jsonValue = z.unknown().superRefine((value, ctx) => {
  const problem = value === undefined ? undefined : jsonProblem(value);
  if (problem !== undefined) {
    ctx.addIssue({ code: 'custom', message: problem.why, path: problem.path });
  }
}) as z.ZodType<JsonValue>;

const headers = z.record(z.string().min(1), z.string());

const dlqSelector = z.union([
  z.strictObject({ ids: z.array(z.string().min(1)).min(1).max(1000) }),
  z.strictObject({
    all: z.strictObject({
      queue: z.string().optional(),
      error: z.string().optional(),
    }),
  }),
]);

const subjects = z.array(z.string()).min(1).max(MAX_SUBJECTS);

// a relative path would resolve against wherever the service was started
const folder = z
  .string()
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, {
    error: 'expected an absolute folder path',
  });

type RequestSchemas = {
  [C in InvokeChannel]: z.ZodType<InvokeMap[C]['request']>;
};

/** The schema of each channel's request. */
export const REQUEST_SCHEMAS: RequestSchemas = {
  'app:info': empty,
  'cluster:status': empty,
  'cluster:kill': z.strictObject({ node: nodeId }),
  'cluster:restart': z.strictObject({ node: nodeId }),
  'cluster:partition': z.strictObject({
    groups: z.array(z.array(nodeId).min(1)).min(1).max(7),
  }),
  'cluster:cut': z.strictObject({ from: nodeId, to: nodeId }),
  'cluster:link': z.strictObject({
    from: nodeId,
    to: nodeId,
    drop: probability.optional(),
    delayMs: z.int().min(0).max(60_000).optional(),
    duplicate: probability.optional(),
    reorder: probability.optional(),
  }),
  'cluster:heal': empty,
  'cluster:transfer': z.strictObject({ to: nodeId }),
  'cluster:add': z.strictObject({ asLearner: z.boolean().optional() }),
  'cluster:remove': z.strictObject({ node: nodeId }),
  'events:publish': z
    .strictObject({
      topic: z.string(),
      payload: jsonValue.optional(),
      payloadJson: text.optional(),
      headers: headers.optional(),
    })
    .refine((r) => r.payload === undefined || r.payloadJson === undefined, {
      error: 'give payload or payloadJson, not both',
    }),
  'events:range': z.strictObject({
    from: eventId.optional(),
    limit: z.int().min(1).max(MAX_RANGE_LIMIT).optional(),
    pattern: z.string().optional(),
    text: z.string().max(1024).optional(),
  }),
  'kv:put': z.strictObject({
    key: z.string().min(1, { error: 'key is empty' }),
    value: text,
    ttlMs: z.int().min(1).optional(),
  }),
  'kv:delete': z.strictObject({ key: z.string().min(1) }),
  'kv:get': z.strictObject({ key: z.string().min(1) }),
  'kv:list': z.strictObject({
    prefix: z.string().optional(),
    limit: z.int().min(1).max(10_000).optional(),
  }),
  'config:get': empty,
  'config:validate': z.strictObject({
    text,
    file: z.string().min(1).optional(),
  }),
  'config:apply': z.strictObject({ text, save: z.boolean().optional() }),
  'config:export': z.strictObject({
    text: text.optional(),
    format: z.enum(['toml', 'json', 'plugin-kv']),
    stripStudioKeys: z.boolean().optional(),
  }),
  'config:import': z.strictObject({ text, format: z.enum(['toml', 'json']) }),
  'config:schema': z.strictObject({
    form: z.enum(['toml', 'json']).optional(),
  }),
  'jobs:list': empty,
  'jobs:redrive': dlqSelector,
  'jobs:purge': dlqSelector,
  'hooks:list': empty,
  'match:test': z.discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('pattern'),
      pattern: z.string(),
      subjects,
    }),
    z.strictObject({
      mode: z.literal('config'),
      text: text.optional(),
      subjects,
    }),
  ]),
  'workspace:info': empty,
  'workspace:trust': z.strictObject({ isTrusted: z.boolean() }),
  'workspace:recent': empty,
  'workspace:open': z.strictObject({ dir: folder.optional() }),
  'workspace:create': z.strictObject({ dir: folder.optional() }),
  'workspace:close': empty,
  'workspace:reset': z.strictObject({ dir: folder }),
  'workspace:diagnostics': empty,
  'config:pending': empty,
  'time:state': empty,
  'time:speed': z.strictObject({
    speed: z
      .number({ error: 'expected a speed (a number)' })
      .min(MIN_TIME_SPEED, { error: `speed is at least ${MIN_TIME_SPEED}` })
      .max(MAX_TIME_SPEED, { error: `speed is at most ${MAX_TIME_SPEED}` }),
  }),
  'time:pause': empty,
  'time:resume': empty,
  'time:step': z.strictObject({ kind: z.enum(['tick', 'message']) }),
};

/** Renders a path as `groups[0][1]` or `payload.items[2]`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
    } else {
      const key = String(part);
      out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}

/** The outcome of {@link parseRequest}. */
export type ParsedRequest<C extends InvokeChannel> =
  | { ok: true; value: InvokeMap[C]['request'] }
  | { ok: false; error: ContractError };

/**
 * Checks a request against its channel's schema. A bad one is described
 * as `channel: where: why`, naming the first problem found.
 */
export function parseRequest<C extends InvokeChannel>(
  channel: C,
  payload: unknown,
): ParsedRequest<C> {
  const schema = REQUEST_SCHEMAS[channel] as z.ZodType<InvokeMap[C]['request']>;
  const parsed = schema.safeParse(payload);
  if (parsed.success) {
    return { ok: true, value: parsed.data };
  }
  const issue = parsed.error.issues[0];
  const where = formatPath(issue?.path ?? []);
  const why = describeIssue(issue);
  const message = `${channel}: ${where === '' ? 'request' : where}: ${why}`;
  return { ok: false, error: { code: 'BAD_REQUEST', message } };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) {
    return 'invalid';
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  // zod's default texts start with a capital "Invalid input: "
  return issue.message.replace(/^Invalid input: /, '');
}
