import {
  compatibilityReport,
  type CompatibilityFinding,
} from '../config/compatibility';
import { exportToml } from '../config/export';
import { parseHooksToml } from '../config/parse';
import { studioSettings, type HooksConfig } from '../config/schema';
import {
  compileDispatchConfig,
  type Fidelity,
} from '../dispatch/dispatch-config';
import type { Logger } from '../../ports/logger';
import type { StateEvent } from '../../state/module';
import { AspenError } from '../../util/errors';
import {
  hookDifferences,
  type FidelityDifference,
} from './fidelity-differences';
import { describeStep, runStep, type FidelityStep } from './fidelity-steps';
import { tallyRun, type HookTally } from './fidelity-tally';
import {
  ScratchCluster,
  type OpenAttempt,
  type ScratchClusterOptions,
} from './scratch-cluster';

/**
 * The side-by-side comparison (DESIGN §3.5): the same config and steps on
 * two scratch clusters, one under the studio's rules and one under
 * production's, then per hook what ran, how it ended, and each difference
 * with the compatibility finding that explains it. The runs are one after
 * the other, never at once, so they do not compete for the machine.
 *
 * @packageDocumentation
 */

/** Options of {@link compareFidelity}. */
export interface CompareOptions {
  /** The hooks.toml text; its `[studio] fidelity` is set for each run. */
  configText: string;
  /** What to do to each cluster after its config is in force. */
  steps: readonly FidelityStep[];
  /** The workspace: `handlers/` and shell working directories. */
  workspaceDir: string;
  /** Voters of each cluster, 1–7. @defaultValue 3 */
  nodes?: number;
  /**
   * Longest wait, after the steps, for a run to go quiet; a run still busy
   * then (a production handler that hangs) is stopped and says so.
   * @defaultValue 30000
   */
  settleTimeoutMs?: number;
  /** The environment shell handlers inherit. @defaultValue process.env */
  inheritedEnv?: Record<string, string | undefined>;
  /** Workers per in-process handler module. @defaultValue 1 */
  poolSize?: number;
  /** Longest a command or an election may take (ms). @defaultValue 10000 */
  requestTimeoutMs?: number;
  /**
   * Target clusters of forward handlers (both runs forward to the same
   * ones); without it every forward fails with `NO_TARGET`.
   */
  forwardCluster?: ScratchClusterOptions['forwardCluster'];
  logger?: Logger;
}

/** One of the two runs. */
export interface FidelityRun {
  fidelity: Fidelity;
  /** Events the run's entries made after its config entry. */
  events: number;
  /** False when the run was still busy at the settle timeout. */
  isSettled: boolean;
  /** Every configured hook, in config order. */
  hooks: HookTally[];
}

/** One hook side by side. */
export interface HookComparison {
  name: string;
  studio: HookTally;
  production: HookTally;
  /** Empty when production behaved as the studio did. */
  differences: FidelityDifference[];
}

/** A finding of the export's report, with what the comparison saw of it. */
export interface FindingLink {
  finding: CompatibilityFinding;
  /** Differences of this comparison that the finding explains. */
  observed: FidelityDifference[];
}

/** The whole comparison. */
export interface FidelityComparison {
  nodes: number;
  /** The steps, one line each. */
  steps: string[];
  studio: FidelityRun;
  production: FidelityRun;
  hooks: HookComparison[];
  /** The config's compatibility report, each finding linked. */
  findings: FindingLink[];
}

/**
 * Runs `options.steps` under both fidelities and compares them.
 *
 * @throws AspenError `INVALID_HOOKS_CONFIG` for a config that does not
 *   parse or validate; a step's own error when a step fails.
 */
export async function compareFidelity(
  options: CompareOptions,
): Promise<FidelityComparison> {
  const config = parseConfig(options.configText);
  const studio = await runFidelity(options, config, 'studio');
  const production = await runFidelity(options, config, 'production');
  const report = compatibilityReport(config);
  const hooks = studio.hooks.map((tally, i): HookComparison => {
    const other = production.hooks[i]!;
    const handler = config.handlers.find((h) => h.name === tally.name);
    return {
      name: tally.name,
      studio: tally,
      production: other,
      differences: hookDifferences({
        studio: tally,
        production: other,
        handler,
        report,
      }),
    };
  });
  const findings = report.map((finding) => ({
    finding,
    observed: hooks
      .filter((hook) => (finding.handler ?? hook.name) === hook.name)
      .flatMap((hook) => hook.differences)
      .filter((difference) => difference.finding === finding.id),
  }));
  return {
    nodes: options.nodes ?? 3,
    steps: options.steps.map(describeStep),
    studio,
    production,
    hooks,
    findings,
  };
}

/**
 * One run: a scratch cluster with the config under `fidelity`, the steps,
 * a wait for quiet, then the count.
 */
export async function runFidelity(
  options: CompareOptions,
  config: HooksConfig,
  fidelity: Fidelity,
): Promise<FidelityRun> {
  const text = exportToml({
    ...config,
    studio: { ...studioSettings(config), fidelity },
  });
  const compiled = compileDispatchConfig({ version: 1, text, index: 0 });
  const scratch = await ScratchCluster.start({
    nodes: options.nodes ?? 3,
    workspaceDir: options.workspaceDir,
    inheritedEnv: options.inheritedEnv,
    poolSize: options.poolSize,
    requestTimeoutMs: options.requestTimeoutMs,
    forwardCluster: options.forwardCluster,
    logger: options.logger,
  });
  let isSettled: boolean;
  let events: StateEvent[];
  try {
    await scratch.propose({ t: 'hooks.config', version: 1, text });
    for (const step of options.steps) {
      await runStep(step, scratch);
    }
    // production never stops an in-process handler: one still running
    // past its timeout_ms, where the studio would have ended it, hangs
    const timeoutOf = (hook: string) =>
      compiled.hooks.find((h) => h.name === hook)?.definition.timeoutMs ??
      Infinity;
    const isHung = (attempt: OpenAttempt, now: number) =>
      fidelity === 'production' &&
      attempt.handlerType === 'in_process' &&
      now - attempt.at > timeoutOf(attempt.hook);
    isSettled = await scratch.settle(options.settleTimeoutMs ?? 30_000, isHung);
    events = await scratch.eventsAfter(await scratch.configIndex());
  } finally {
    // stopping ends what still runs; those attempts count as unfinished
    await scratch.close();
  }
  const hooks = tallyRun({
    config: compiled,
    events,
    dispatch: scratch.dispatch,
  });
  return { fidelity, events: events.length, isSettled, hooks };
}

function parseConfig(text: string): HooksConfig {
  const { config, diagnostics } = parseHooksToml(text, 'hooks.toml');
  if (config === undefined) {
    const first = diagnostics.find((d) => d.severity === 'error');
    const where = first === undefined ? '' : `${first.line}:${first.column}: `;
    throw new AspenError(
      'INVALID_HOOKS_CONFIG',
      `hooks.toml ${where}${first?.message ?? 'is not a valid config'}`,
    );
  }
  return config;
}
