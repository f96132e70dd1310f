/**
 * The export's compatibility report: for each handler, every way production
 * would behave differently from what the studio showed (reference §0, §3,
 * §5, §7, §8; DESIGN §3.5). Findings have stable ids, so the UI and tests
 * can rely on them; the messages name the handler's own values.
 *
 * @packageDocumentation
 */

import { handlerFindings } from './compatibility-handler';
import type { HooksConfig } from './schema';

/**
 * How much a difference matters: `error`, the handler does not work in
 * production at all; `warning`, it works differently in a way that can
 * bite; `info`, worth knowing but harmless on its own.
 */
export type FindingSeverity = 'info' | 'warning' | 'error';

/** Stable ids of the findings. */
export type FindingId =
  | 'handlers-not-loaded-from-file'
  | 'publish-topics-unused'
  | 'sequential-dispatch'
  | 'studio-table-ignored'
  | 'fires-on-every-node'
  | 'job-never-runs'
  | 'in-process-no-timeout'
  | 'in-process-unregistered'
  | 'stdout-never-read'
  | 'inherits-node-environment'
  | 'user-topics-never-reach-hooks'
  | 'no-emitted-event'
  | 'gt-matches-zero-tokens'
  | 'forward-target-topic-dropped'
  | 'forward-event-name-rejected'
  | 'forward-ticket-invalid'
  | 'retry-count-ignored'
  | 'unknown-priority-normal'
  | 'studio-keys-ignored'
  | 'grace-period-differs';

/** One difference between the studio and production. */
export interface CompatibilityFinding {
  /** Stable id, such as `job-never-runs`. */
  id: FindingId;
  /** How much it matters. */
  severity: FindingSeverity;
  /** The handler's name; absent for findings about the whole config. */
  handler?: string;
  /** What production does, in the handler's own terms. */
  message: string;
}

function configFindings(config: HooksConfig): CompatibilityFinding[] {
  const findings: CompatibilityFinding[] = [];
  if (config.handlers.length > 0) {
    findings.push({
      id: 'handlers-not-loaded-from-file',
      severity: 'warning',
      message:
        'a stock aspen-node keeps only hooks.enabled from its own config ' +
        'file: these handlers reach production only through a program ' +
        'that embeds the node and builds this config',
    });
  }
  if (config.publish_topics.length > 0) {
    findings.push({
      id: 'publish-topics-unused',
      severity: 'info',
      message:
        `production never reads publish_topics ` +
        `(${config.publish_topics.map((topic) => JSON.stringify(topic)).join(', ')}): ` +
        'it has no effect there',
    });
  }
  const direct = config.handlers.filter(
    (handler) => handler.enabled && handler.execution_mode === 'direct',
  );
  if (config.enabled && direct.length > 1) {
    findings.push({
      id: 'sequential-dispatch',
      severity: 'info',
      message:
        'production runs the direct handlers that match one event one ' +
        'after another, in no fixed order ' +
        `(${direct.map((handler) => handler.name).join(', ')}): ` +
        'a slow handler delays the others for that event',
    });
  }
  if (config.studio !== undefined) {
    findings.push({
      id: 'studio-table-ignored',
      severity: 'info',
      message:
        'production ignores the [studio] table: fidelity, [studio.env] ' +
        `and the loop cut at depth ${config.studio.max_depth} exist only ` +
        'in the studio',
    });
  }
  return findings;
}

/**
 * Every difference between what the studio showed and what production
 * would do with this config. Config-wide findings come first, then each
 * enabled handler's in config order. Disabled handlers, and all handlers
 * when hooks are disabled, run nowhere and get no findings.
 *
 * @param config - A valid config.
 */
export function compatibilityReport(
  config: HooksConfig,
): CompatibilityFinding[] {
  const findings = configFindings(config);
  if (!config.enabled) {
    return findings;
  }
  for (const handler of config.handlers) {
    if (handler.enabled) {
      findings.push(...handlerFindings(handler, config));
    }
  }
  return findings;
}
