import type { HookMetricsSnapshot } from '../../engine/hooks/reliability/hook-metrics';
import { checkSubject, InvalidSubjectError } from '../../engine/pubsub/subject';
import type { KvValue } from '../../engine/state/commands';
import { formatEventId } from '../../engine/state/event-id';
import type { JobResults } from '../../engine/state/jobs/commands';
import type { EventId } from '../../engine/state/module';
import type { JsonValue } from '../../preload/contract';
import type { InvokeHandlers } from '../server/router';

import { StudioError } from './errors';
import { appliedConfig, parseConfig } from './config-handlers';
import { matchConfig, matchPattern } from './match';
import type { StudioService } from './studio-service';
import { readRange } from './timeline';

type DataHandlers = Pick<
  InvokeHandlers,
  | 'events:publish'
  | 'events:range'
  | 'kv:put'
  | 'kv:delete'
  | 'kv:get'
  | 'kv:list'
  | 'jobs:list'
  | 'jobs:redrive'
  | 'jobs:purge'
  | 'hooks:list'
  | 'match:test'
>;

/** Publishing, the timeline, KV, jobs, the hooks list and matching. */
export function dataHandlers(service: StudioService): DataHandlers {
  return {
    'events:publish': async ({ topic, payload, payloadJson, headers }) => {
      const problem = checkSubject(topic);
      if (problem !== undefined) {
        throw new InvalidSubjectError(topic, problem);
      }
      const value =
        payloadJson === undefined ? (payload ?? null) : parseJson(payloadJson);
      const result = (await service.propose({
        t: 'publish',
        topic,
        payload: value,
        ...(headers ? { headers } : {}),
      })) as { id: EventId };
      return { id: formatEventId(result.id) };
    },
    'events:range': (request) => readRange(service.localMachine(), request),
    'kv:put': async ({ key, value, ttlMs }) => {
      const result = (await service.propose({
        t: 'kv.put',
        key,
        value,
        ...(ttlMs === undefined ? {} : { ttlMs }),
      })) as { isCreate: boolean };
      return { isCreate: result.isCreate };
    },
    'kv:delete': async ({ key }) => {
      const result = (await service.propose({ t: 'kv.delete', key })) as {
        existed: boolean;
      };
      return { existed: result.existed };
    },
    'kv:get': async ({ key }) => {
      const record = (await service.readMachine()).get(key);
      if (record === undefined) {
        return { key, found: false };
      }
      return {
        key,
        found: true,
        ...encodeValue(record.value),
        version: record.version,
        createIndex: record.createIndex,
        modIndex: record.modIndex,
        expiresAt: record.expiresAt ?? null,
      };
    },
    'kv:list': async ({ prefix, limit }) => ({
      keys: (await service.readMachine()).keys(prefix ?? '', limit ?? 1000),
    }),
    'jobs:list': () => {
      const jobs = service.nodes.jobs(service.localMachine());
      if (jobs === undefined) {
        throw new StudioError('NO_NODE_RUNNING', 'no jobs state to read');
      }
      return { jobs: jobs.view(), dlq: jobs.dlqByError() };
    },
    'jobs:redrive': async (selector) => {
      const result = (await service.propose({
        t: 'jobs',
        cmd: { type: 'redrive', ...selector },
      })) as JobResults['redrive'];
      const { redriven, skipped, isAttemptCountReset } = result;
      return { redriven, skipped, isAttemptCountReset };
    },
    'jobs:purge': async (selector) => {
      const result = (await service.propose({
        t: 'jobs',
        cmd: { type: 'purge', ...selector },
      })) as JobResults['purge'];
      return { purged: result.purged, skipped: result.skipped };
    },
    'hooks:list': () => {
      const applied = appliedConfig(service.localMachine());
      const runtimes = service.nodes.activeRuntimes();
      const isDispatching = runtimes.some((runtime) => runtime.isDispatching);
      const metrics = runtimes.map((runtime) => runtime.metrics());
      return {
        isDispatching,
        isPaused: service.nodes.isPaused,
        configVersion: applied?.version ?? null,
        hooks: (applied?.config.handlers ?? []).map((handler) => ({
          name: handler.name,
          pattern: handler.pattern,
          type: handler.type,
          executionMode: handler.execution_mode,
          enabled: handler.enabled,
          metrics: isDispatching ? sumMetrics(metrics, handler.name) : null,
        })),
      };
    },
    'match:test': (request) => {
      if (request.mode === 'pattern') {
        return { results: matchPattern(request.pattern, request.subjects) };
      }
      const config =
        request.text === undefined
          ? appliedConfig(service.localMachine())?.config
          : parseConfig(request.text);
      if (config === undefined) {
        throw new StudioError('NO_CONFIG', 'no hooks config is applied yet');
      }
      return { results: matchConfig(config, request.subjects) };
    },
  };
}

/** Parses JSON text, or says where and why it is not JSON. */
function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new StudioError('INVALID_PAYLOAD', `payloadJson: not JSON: ${why}`);
  }
}

function encodeValue(value: KvValue) {
  return typeof value === 'string'
    ? { value, encoding: 'utf8' as const }
    : {
        value: Buffer.from(value).toString('base64'),
        encoding: 'base64' as const,
      };
}

// counters add up across nodes; latency is the node's with most attempts
function sumMetrics(
  all: Record<string, HookMetricsSnapshot>[],
  name: string,
): HookMetricsSnapshot {
  const sum: HookMetricsSnapshot = {
    matched: 0,
    succeeded: 0,
    failed: 0,
    retried: 0,
    dropped: {},
    deadLettered: 0,
    loopCut: 0,
    latencyP50Ms: null,
    latencyP99Ms: null,
  };
  let busiest = -1;
  for (const metrics of all) {
    const one = metrics[name];
    if (one === undefined) {
      continue;
    }
    sum.matched += one.matched;
    sum.succeeded += one.succeeded;
    sum.failed += one.failed;
    sum.retried += one.retried;
    sum.deadLettered += one.deadLettered;
    sum.loopCut += one.loopCut;
    for (const [reason, count] of Object.entries(one.dropped)) {
      sum.dropped[reason] = (sum.dropped[reason] ?? 0) + count;
    }
    const attempts = one.succeeded + one.failed;
    if (attempts > busiest) {
      busiest = attempts;
      sum.latencyP50Ms = one.latencyP50Ms;
      sum.latencyP99Ms = one.latencyP99Ms;
    }
  }
  return sum;
}
