import type { FidelityComparison, FidelityRun } from './compare';
import type { HookOutcomes, HookTally } from './fidelity-tally';

/**
 * The comparison as plain text, for `aspen-studio test --fidelity both`:
 * per hook, each run's figures on one line, then every difference with
 * the finding that explains it.
 *
 * @packageDocumentation
 */

const OUTCOME_NAMES: Record<keyof HookOutcomes, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  timedOut: 'timed out',
  unfinished: 'unfinished',
  dropped: 'dropped',
  neverRun: 'never run',
  lost: 'lost',
};

/** The comparison as lines of text, ending with a newline. */
export function formatComparison(comparison: FidelityComparison): string {
  const { studio, production, hooks } = comparison;
  const lines = [
    `fidelity comparison: ${comparison.nodes} node(s), ` +
      `${comparison.steps.length} step(s): ${comparison.steps.join('; ')}`,
    `${describeRun(studio)} · ${describeRun(production)}`,
  ];
  for (const hook of hooks) {
    const { mode, handlerType } = hook.studio;
    const verdict = hook.differences.length === 0 ? ': same in both' : '';
    lines.push('', `${hook.name} (${mode}, ${handlerType})${verdict}`);
    lines.push(`  studio      ${describeTally(hook.studio)}`);
    lines.push(`  production  ${describeTally(hook.production)}`);
    for (const difference of hook.differences) {
      const why = difference.finding ?? 'no finding explains it';
      const unreported =
        difference.finding !== null && !difference.isReported
          ? ' (not in the export report)'
          : '';
      lines.push(`  ≠ ${why}: ${difference.message}${unreported}`);
    }
  }
  const differing = hooks.filter((hook) => hook.differences.length > 0);
  lines.push(
    '',
    `${hooks.length} hook(s), ${differing.length} behave differently in production`,
  );
  return `${lines.join('\n')}\n`;
}

function describeRun(run: FidelityRun): string {
  const state = run.isSettled ? 'settled' : 'stopped while still busy';
  return `${run.fidelity}: ${run.events} event(s) in the log, ${state}`;
}

function describeTally(tally: HookTally): string {
  const parts = [`events ${tally.events}`, `executions ${tally.executions}`];
  for (const key of Object.keys(OUTCOME_NAMES) as (keyof HookOutcomes)[]) {
    if (tally.outcomes[key] > 0) {
      parts.push(`${OUTCOME_NAMES[key]} ${tally.outcomes[key]}`);
    }
  }
  return parts.join(' · ');
}
