import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { silentLogger } from '../../engine/ports/logger';
import { createRouter } from '../server/router';
import { studioHandlers } from '../studio/studio-handlers';
import { StudioService } from '../studio/studio-service';
import type { Scenario } from './scenario-file';
import type { Verdict } from './scenario-expects';
import type { RunContext } from './scenario-steps';
import { version } from '../../package.json';

/** How one step went. */
export interface StepReport {
  describe: string;
  ok: boolean;
  error?: string;
}

/** How one expectation went. */
export interface ExpectReport {
  describe: string;
  ok: boolean;
  detail: string;
}

/** How one scenario went. */
export interface ScenarioReport {
  file: string;
  passed: boolean;
  steps: StepReport[];
  expects: ExpectReport[];
}

// how often a waiting expectation looks again; a poll, not a speed claim
const POLL_MS = 50;

/**
 * Runs one scenario on a fresh cluster in a temporary data folder: applies
 * its config, runs the steps through the contract (the same router and
 * schemas as every front end), then checks each expectation until it
 * holds or its time is up. The cluster is removed afterwards.
 */
export async function runScenario(
  scenario: Scenario,
  progress: (line: string) => void,
): Promise<ScenarioReport> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aspen-scenario-'));
  const workspace = dirname(scenario.configFile ?? scenario.file);
  const report: ScenarioReport = {
    file: scenario.file,
    passed: false,
    steps: [],
    expects: [],
  };
  const service = await StudioService.open(workspace, {
    dataDir,
    size: scenario.nodes,
    logger: silentLogger,
    requestTimeoutMs: scenario.timeoutMs,
    timeScale: scenario.timeScale,
    // running a scenario is asking for its handlers to run
    trust: true,
    holder: 'aspen-studio test',
  });
  try {
    const context = await prepare(service, scenario);
    if (await runSteps(scenario, context, report, progress)) {
      await checkExpects(scenario, context, report, progress);
    }
  } finally {
    await service.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  report.passed =
    report.steps.every((step) => step.ok) &&
    report.steps.length === scenario.steps.length &&
    report.expects.every((expect) => expect.ok);
  return report;
}

async function prepare(
  service: StudioService,
  scenario: Scenario,
): Promise<RunContext> {
  const router = createRouter(
    studioHandlers(service, { carrier: 'browser', version }),
  );
  const leader = async () => {
    const deadline = Date.now() + scenario.timeoutMs;
    for (;;) {
      const id = service.cluster.leader();
      if (id !== undefined) {
        return id;
      }
      if (Date.now() > deadline) {
        throw new Error(`no leader within ${scenario.timeoutMs} ms`);
      }
      await delay(20);
    }
  };
  const context: RunContext = {
    call: async (channel, request) => {
      const result = await router(channel, request);
      if (!result.ok) {
        const { code, message } = result.error;
        throw Object.assign(new Error(`${code}: ${message}`), { code });
      }
      return result.value as never;
    },
    leader,
    status: () => service.status(),
    initialLeader: null,
  };
  context.initialLeader = await leader();
  if (scenario.configFile !== undefined) {
    const text = await readFile(scenario.configFile, 'utf8');
    await context.call('config:apply', { text, save: false });
  }
  return context;
}

async function runSteps(
  scenario: Scenario,
  context: RunContext,
  report: ScenarioReport,
  progress: (line: string) => void,
): Promise<boolean> {
  for (const [i, step] of scenario.steps.entries()) {
    try {
      await step.run(context);
      report.steps.push({ describe: step.describe, ok: true });
      progress(`  step ${i + 1} ${step.describe}: ok`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.steps.push({ describe: step.describe, ok: false, error: message });
      progress(`  step ${i + 1} ${step.describe}: FAILED: ${message}`);
      return false;
    }
  }
  return true;
}

async function checkExpects(
  scenario: Scenario,
  context: RunContext,
  report: ScenarioReport,
  progress: (line: string) => void,
): Promise<void> {
  for (const expect of scenario.expects) {
    const deadline = Date.now() + expect.withinMs;
    let verdict: Verdict;
    for (;;) {
      try {
        verdict = await expect.check(context);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        verdict = { ok: false, detail };
      }
      if (verdict.ok || verdict.isFinal || Date.now() >= deadline) {
        break;
      }
      await delay(POLL_MS);
    }
    const { ok, detail } = verdict;
    report.expects.push({ describe: expect.describe, ok, detail });
    const mark = verdict.ok ? 'ok' : 'FAILED';
    progress(`  expect ${expect.describe}: ${mark} (${verdict.detail})`);
  }
}
