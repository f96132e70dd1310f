// @vitest-environment node
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { LocalCluster } from '../../../engine/cluster/local-cluster';
import type { HookDispatcher } from '../../../engine/hooks/dispatch/hook-dispatcher';
import {
  createHookStateMachine,
  type HookStateMachine,
} from '../../../engine/hooks/dispatch/hook-machine';
import { createHookRuntimeFactory } from '../../../engine/hooks/dispatch/hook-runtime-adapter';
import { silentLogger } from '../../../engine/ports/logger';
import type { NodeId } from '../../../engine/raft/types';
import type { Command } from '../../../engine/state/commands';
import {
  encodeCommand,
  ENVELOPE_VERSION,
} from '../../../engine/state/envelope';
import type { JobEvent } from '../../../engine/state/jobs/events';
import type { StateEvent } from '../../../engine/state/module';
import { AspenError } from '../../../engine/util/errors';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';

// five attempts with the production back-off (100 ms doubling, capped at
// 10 s); the handler fails at once, well inside its timeout even when
// job time runs a hundred times faster than the handler's real time
const HOOKS_TOML = `[hooks]
enabled = true

[[hooks.handlers]]
name = "always-fails"
pattern = "deploys.*"
type = "shell"
command = "echo refused >&2; exit 1"
execution_mode = "job"
retry_count = 5
timeout_ms = 30000
`;

/** What one run from publish to DLQ looked like. */
interface Journey {
  /** Attempt number, delay before the next, and error, per attempt. */
  attempts: { attempt: number; delayMs: number | null; error: string }[];
  dead: JobEvent;
  /** Job time from the publish to the DLQ entry (ms). */
  jobMs: number;
  /** Real time from the publish to seeing the DLQ entry (ms). */
  wallMs: number;
  /** Job time between each failure and the next attempt's start. */
  gaps: { delayMs: number; waitedMs: number }[];
}

interface Setup {
  cluster: LocalCluster;
  root: string;
  machines: Map<NodeId, HookStateMachine>;
  dispatchers: HookDispatcher[];
}

/**
 * A real cluster running hooks the way the studio wires them, except that
 * the dispatchers read job time: the cluster's job clock stamps entries
 * and drives leases, retries and the leader's timer service.
 */
async function startAt(speed: number): Promise<Setup> {
  const root = await mkdtemp(join(tmpdir(), 'aspen-job-time-'));
  const workspace = join(root, 'workspace');
  await mkdir(workspace, { recursive: true });
  const machines = new Map<NodeId, HookStateMachine>();
  const cluster = await LocalCluster.start({
    dataDir: join(root, 'data'),
    size: 3,
    seed: 5,
    timeScale: speed,
    stateMachine: (id, { initialConf }) => {
      const built = createHookStateMachine({ initialConf });
      machines.set(id, built);
      return built.machine;
    },
  });
  const jobClock = cluster.timeControl.jobClock;
  const factory = createHookRuntimeFactory({ poolSize: 1, clock: jobClock });
  const dispatchers = cluster.nodeIds().map((id) => {
    const runtime = factory({
      workspaceDir: workspace,
      logger: silentLogger,
      clusterNow: () => cluster.timeControl.jobNow(),
      terminal: () => {},
      forwardCluster: (name) =>
        Promise.reject(new AspenError('NO_TARGET', `no cluster ${name}`)),
    });
    runtime.start({
      id,
      host: cluster.host(id)!,
      machine: machines.get(id)!.machine,
    });
    return runtime.dispatcher;
  });
  const setup = { cluster, root, machines, dispatchers };
  await propose(setup, { t: 'hooks.config', version: 1, text: HOOKS_TOML });
  return setup;
}

async function stop(setup: Setup): Promise<void> {
  await Promise.all(setup.dispatchers.map((d) => d.stop()));
  await setup.cluster.dispose();
  await rm(setup.root, { recursive: true, force: true });
}

function propose(setup: Setup, cmd: Command): Promise<unknown> {
  const time = setup.cluster.timeControl.jobNow();
  const data = encodeCommand({ v: ENVELOPE_VERSION, time, random: 0, cmd });
  return setup.cluster.propose(data, scaled(10_000));
}

async function leaderEvents(setup: Setup): Promise<StateEvent[]> {
  const host = await setup.cluster.read(scaled(10_000));
  const machine = setup.machines.get(host.id)!.machine;
  return machine.eventsFrom(machine.earliestEventId());
}

function payloads(events: StateEvent[], state: string): JobEvent[] {
  return events
    .filter((e) => e.topic === `$jobs.${state}`)
    .map((e) => e.payload as JobEvent);
}

/** Publishes one event and follows its job into the DLQ. */
async function journey(setup: Setup): Promise<Journey> {
  const started = performance.now();
  await propose(setup, { t: 'publish', topic: 'deploys.started', payload: {} });
  const published = (await leaderEvents(setup)).find(
    (e) => e.topic === 'deploys.started',
  )!;
  const deadEvent = await waitFor(
    async () =>
      (await leaderEvents(setup)).find((e) => e.topic === '$jobs.dead_letter'),
    { timeoutMs: scaled(20_000), what: 'the job in the DLQ' },
  );
  const wallMs = performance.now() - started;

  const events = await leaderEvents(setup);
  const runs = events.filter((e) => e.topic === '$jobs.running');
  const retries = events.filter((e) => e.topic === '$jobs.retrying');
  const dead = deadEvent.payload as JobEvent;
  const failures = [...payloads(events, 'retrying'), dead];
  return {
    attempts: failures.map((f) => ({
      attempt: f.attempt,
      delayMs: f.delayMs,
      error: f.error ?? '',
    })),
    dead,
    jobMs: deadEvent.time - published.time,
    wallMs,
    gaps: retries.map((retry, i) => ({
      delayMs: (retry.payload as JobEvent).delayMs!,
      waitedMs: runs[i + 1]!.time - retry.time,
    })),
  };
}

describe('job time', () => {
  let setup: Setup | undefined;

  afterEach(async () => {
    if (setup !== undefined) {
      await stop(setup);
      setup = undefined;
    }
  });

  async function run(speed: number): Promise<Journey> {
    setup = await startAt(speed);
    const result = await journey(setup);
    await stop(setup);
    setup = undefined;
    return result;
  }

  it('dead-letters a job at 100× with the same attempts as at 1×', async () => {
    const normal = await run(1);
    const fast = await run(100);

    const expected = [100, 200, 400, 800, null].map((delayMs, i) => ({
      attempt: i + 1,
      delayMs,
      error: 'exit 1',
    }));
    expect(normal.attempts).toEqual(expected);
    expect(fast.attempts).toEqual(normal.attempts);
    for (const journey of [normal, fast]) {
      expect(journey.dead).toMatchObject({
        attempts: 5,
        maxAttempts: 5,
        reason: 'max_retries_exceeded',
      });
      // no attempt started before its retry was due, in job time
      for (const { delayMs, waitedMs } of journey.gaps) {
        expect(waitedMs).toBeGreaterThanOrEqual(delayMs);
      }
    }

    // measured and printed, never asserted as a speed
    const line = (name: string, j: Journey) =>
      `${name}: DLQ after ${Math.round(j.wallMs)} ms wall, ` +
      `${Math.round(j.jobMs)} ms of job time`;
    // eslint-disable-next-line no-console -- the issue asks for the figures
    console.info(`${line('1×', normal)}; ${line('100×', fast)}`);
  });
});
