/**
 * The per-handler part of the compatibility report. Each check is one
 * small function that returns the finding when, and only when, its
 * condition holds for the handler.
 *
 * @packageDocumentation
 */

import type { CompatibilityFinding, FindingId } from './compatibility';
import {
  DEFAULT_RETRY_COUNT,
  JOB_PRIORITIES,
  MAX_CONCURRENT_EXECUTIONS,
  PRODUCTION_GRACE_MS,
} from './constants';
import { patternFindings } from './compatibility-pattern';
import { PLUGIN_TRIGGER_EVENT_TYPES } from './production-topics';
import {
  STUDIO_HANDLER_KEYS,
  type HookHandlerConfig,
  type HooksConfig,
} from './schema';

type Finding = Omit<CompatibilityFinding, 'handler'>;
type Check = (handler: HookHandlerConfig, config: HooksConfig) => Finding[];

function finding(
  id: FindingId,
  severity: Finding['severity'],
  message: string,
): Finding[] {
  return [{ id, severity, message }];
}

const isDirect = (handler: HookHandlerConfig) =>
  handler.execution_mode === 'direct';

// §7: the dispatcher's behaviour
const dispatch: Check = (handler) => {
  if (!isDirect(handler)) {
    return finding(
      'job-never-runs',
      'error',
      'production only builds a job spec for this job-mode handler; no ' +
        'bridge submits it, so the handler never runs (jobs_submitted ' +
        'still goes up)',
    );
  }
  const findings = finding(
    'fires-on-every-node',
    'warning',
    'production runs this handler on every node that sees the event: each ' +
      'node applies the log and runs its own bridges, so one KV write in ' +
      'an N-node cluster runs it N times; the studio ran it once, on the ' +
      'leader',
  );
  // the default is not a choice; a changed count means retries were expected
  if (handler.retry_count > 1 && handler.retry_count !== DEFAULT_RETRY_COUNT) {
    findings.push(
      ...finding(
        'retry-count-ignored',
        'info',
        `retry_count = ${handler.retry_count} is ignored in direct mode: ` +
          'production makes exactly one attempt',
      ),
    );
  }
  return findings;
};

// §6 and §4: what running the handler looks like there
const execution: Check = (handler, config) => {
  if (!isDirect(handler)) {
    return [];
  }
  if (handler.type === 'in_process') {
    const id = handler.handler_id;
    return [
      ...finding(
        'in-process-no-timeout',
        'warning',
        `production applies no timeout to in-process handlers: ` +
          `timeout_ms = ${handler.timeout_ms} is not enforced, and a hung ` +
          `handler keeps one of the ${MAX_CONCURRENT_EXECUTIONS} ` +
          'execution slots for good',
      ),
      ...finding(
        'in-process-unregistered',
        'warning',
        `handler_id ${JSON.stringify(id)} must be registered from Rust by ` +
          'the program embedding the node; a stock aspen-node registers ' +
          `none, so every call fails with "handler not found: ${id}"`,
      ),
    ];
  }
  if (handler.type !== 'shell') {
    return [];
  }
  const env = Object.keys(config.studio?.env ?? {});
  const envPart = env.length > 0 ? `, [studio.env] (${env.join(', ')})` : '';
  const dir = handler.working_dir;
  const cwdPart =
    dir === undefined
      ? ", in the node's working directory"
      : dir.startsWith('/')
        ? ''
        : `, and resolves working_dir ${JSON.stringify(dir)} against the ` +
          "node's working directory, not the workspace";
  return [
    ...finding(
      'stdout-never-read',
      'warning',
      "production pipes the command's stdout and never reads it (stderr " +
        'only after a non-zero exit, at most 64 KiB): a command that ' +
        'writes more than the pipe buffer blocks until timeout_ms ' +
        `(${handler.timeout_ms} ms), then gets SIGTERM and 5 s later SIGKILL`,
    ),
    ...finding(
      'inherits-node-environment',
      'warning',
      "production runs the command with the node's whole environment and " +
        `the node's stdin${cwdPart}; the studio gave it only PATH, HOME, ` +
        `LANG, TMPDIR${envPart} and the ASPEN_HOOK_* variables, with ` +
        'stdin from /dev/null',
    ),
  ];
};

// §5: what a forward sends and how the receiver takes it
const forward: Check = (handler) => {
  if (handler.type !== 'forward') {
    return [];
  }
  const findings = [
    ...finding(
      'forward-target-topic-dropped',
      'warning',
      `production never sends target_topic (${JSON.stringify(handler.target_topic)}): ` +
        'the receiver gets only the event type and the payload, without ' +
        'node_id, timestamp or log_index',
    ),
    ...finding(
      'forward-event-name-rejected',
      'error',
      'production forwards the dotted display name (such as ' +
        '"kv.write_committed") as the event type, but a stock receiver ' +
        `accepts only ${PLUGIN_TRIGGER_EVENT_TYPES.join(', ')}; it answers ` +
        '"unknown event type: kv.write_committed" and every forward fails',
    ),
  ];
  if (!/^aspen[a-z2-7]+$/i.test(handler.target_cluster)) {
    findings.push(
      ...finding(
        'forward-ticket-invalid',
        'error',
        `target_cluster ${JSON.stringify(handler.target_cluster)} is not ` +
          'an aspen… cluster ticket, so production fails every forward ' +
          'with "failed to parse target cluster ticket"',
      ),
    );
  }
  return findings;
};

const STUDIO_KEY_MEANING: Record<string, string> = {
  studio_rate_limit: 'no rate limiting there',
  studio_dedup_window_ms: 'no de-duplication there',
  studio_jitter: 'retries never jitter there',
  studio_queue_bound: `no queue there: past ${MAX_CONCURRENT_EXECUTIONS} running, direct executions are dropped`,
  studio_grace_ms: 'the kill grace is always 5 s there',
};

// §1.5 and the studio-only keys
const settings: Check = (handler) => {
  const findings: Finding[] = [];
  const priority = handler.job_priority;
  if (
    priority !== undefined &&
    !(JOB_PRIORITIES as readonly string[]).includes(priority)
  ) {
    findings.push(
      ...finding(
        'unknown-priority-normal',
        'warning',
        `job_priority ${JSON.stringify(priority)} is not one of ` +
          `${JOB_PRIORITIES.join(', ')} (case-sensitive): production ` +
          'queues the job as normal',
      ),
    );
  }
  const used = STUDIO_HANDLER_KEYS.filter((key) => handler[key] !== undefined);
  if (used.length > 0) {
    const meanings = used.map((key) => `${key} (${STUDIO_KEY_MEANING[key]})`);
    findings.push(
      ...finding(
        'studio-keys-ignored',
        'info',
        `production ignores ${meanings.join(', ')}`,
      ),
    );
  }
  const grace = handler.studio_grace_ms;
  if (
    handler.type === 'shell' &&
    grace !== undefined &&
    grace !== PRODUCTION_GRACE_MS
  ) {
    findings.push(
      ...finding(
        'grace-period-differs',
        'warning',
        `the studio waits ${grace} ms between SIGTERM and SIGKILL after a ` +
          'timeout; production always waits 5 s, so a timed-out command ' +
          'can run up to timeout_ms + 5 s there',
      ),
    );
  }
  return findings;
};

const CHECKS: readonly Check[] = [
  dispatch,
  execution,
  (handler) => patternFindings(handler.pattern),
  forward,
  settings,
];

/**
 * Every finding for one enabled handler.
 *
 * @param handler - The handler.
 * @param config - The config it belongs to (for `[studio.env]`).
 */
export function handlerFindings(
  handler: HookHandlerConfig,
  config: HooksConfig,
): CompatibilityFinding[] {
  return CHECKS.flatMap((check) =>
    check(handler, config).map((item) => ({ ...item, handler: handler.name })),
  );
}
