import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalCluster } from '../../../../engine/cluster/local-cluster';
import type { DispatchEvent } from '../../../../engine/hooks/dispatch/dispatch-events';
import type { HookDispatcher } from '../../../../engine/hooks/dispatch/hook-dispatcher';
import {
  createHookStateMachine,
  type HookStateMachine,
} from '../../../../engine/hooks/dispatch/hook-machine';
import {
  createHookRuntimeFactory,
  type HookRuntimeOptions,
  type TerminalLine,
} from '../../../../engine/hooks/dispatch/hook-runtime-adapter';
import { silentLogger } from '../../../../engine/ports/logger';
import type { NodeId } from '../../../../engine/raft/types';
import type { JobEvent } from '../../../../engine/state/jobs/events';
import { AspenError } from '../../../../engine/util/errors';
import type { Command } from '../../../../engine/state/commands';
import type { StateEvent } from '../../../../engine/state/module';
import { CommandClient } from '../../../../main/studio/command-client';
import type { HookRuntimeFactory } from '../../../../main/studio/hook-runtime';
import { scaled } from '../../../support/time-scale';
import { waitFor } from '../../../support/wait-for';

/**
 * A real 3-node cluster (TCP + LevelDB) whose nodes run the hook jobs
 * module and a dispatcher per node incarnation, wired as the studio
 * service wires them: a dispatcher starts when its node runs and stops
 * when the node is killed.
 */
export interface HookCluster {
  cluster: LocalCluster;
  workspace: string;
  /** The machine of each node's current incarnation. */
  machines: Map<NodeId, HookStateMachine>;
  /** The dispatcher of each running node. */
  dispatchers: Map<NodeId, HookDispatcher>;
  /** Every dispatch event of every node, in arrival order. */
  events: DispatchEvent[];
  /** What the runtimes sent to the terminal panel. */
  terminal: TerminalLine[];
  /** Proposes through a retry-safe client session. */
  propose(cmd: Command): Promise<unknown>;
  /** Stores a hooks.toml text as the next config version. */
  configure(text: string): Promise<void>;
  leader(): Promise<NodeId>;
  /** The current leader's retained events. */
  leaderEvents(): Promise<StateEvent[]>;
  /** Kills the leader, waits for a new one, restarts the old. */
  failover(): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * Starts the cluster with a fresh workspace folder. Each node's runtime
 * comes from the adapter the studio service plugs in, with a context that
 * records terminal lines and runs no forward-target clusters.
 */
export async function startHookCluster(
  options: HookRuntimeOptions = {},
): Promise<HookCluster> {
  const root = await mkdtemp(join(tmpdir(), 'aspen-hooks-'));
  const workspace = join(root, 'workspace');
  await mkdir(join(workspace, 'handlers'), { recursive: true });
  const machines = new Map<NodeId, HookStateMachine>();
  const dispatchers = new Map<NodeId, HookDispatcher>();
  const events: DispatchEvent[] = [];
  const terminal: TerminalLine[] = [];
  let version = 0;
  const factory = createHookRuntimeFactory({
    poolSize: 2,
    ...options,
    onEvent: (event) => events.push(event),
  });
  // the adapter fits the studio service's seam as it is: checked by tsc
  const seam: HookRuntimeFactory = factory;
  void seam;

  const cluster = await LocalCluster.start({
    dataDir: join(root, 'data'),
    size: 3,
    seed: 11,
    stateMachine: (id, { initialConf }) => {
      const built = createHookStateMachine({ initialConf });
      machines.set(id, built);
      return built.machine;
    },
  });
  const startDispatcher = (id: NodeId) => {
    const host = cluster.host(id);
    const built = machines.get(id);
    if (host === undefined || built === undefined) {
      return;
    }
    const runtime = factory({
      workspaceDir: workspace,
      logger: silentLogger,
      clusterNow: () => Date.now(),
      terminal: (line) => terminal.push(line),
      forwardCluster: (name) =>
        Promise.reject(
          new AspenError('NO_TARGET', `no target cluster ${name} in this test`),
        ),
    });
    runtime.start({ id, host, machine: built.machine });
    dispatchers.set(id, runtime.dispatcher);
  };
  cluster.nodeIds().forEach(startDispatcher);
  cluster.subscribe((event) => {
    if (event.type === 'node' && event.state === 'running') {
      startDispatcher(event.node);
    } else if (event.type === 'node') {
      dispatchers.delete(event.node);
    }
  });

  const client = new CommandClient(cluster, {
    clusterNow: () => Date.now(),
    timeoutMs: scaled(20_000),
  });
  const leader = () =>
    waitFor(() => cluster.leader(), {
      timeoutMs: scaled(10_000),
      what: 'a leader',
    });

  const fixture: HookCluster = {
    cluster,
    workspace,
    machines,
    dispatchers,
    events,
    terminal,
    propose: (cmd) => client.propose(cmd),
    async configure(text) {
      version += 1;
      await client.propose({ t: 'hooks.config', version, text });
    },
    leader,
    async leaderEvents() {
      const host = await cluster.read(scaled(10_000));
      const machine = machines.get(host.id)!.machine;
      return machine.eventsFrom(machine.earliestEventId());
    },
    async failover() {
      const old = await leader();
      await cluster.kill(old);
      await waitFor(
        () => {
          const next = cluster.leader();
          return next !== undefined && next !== old;
        },
        { timeoutMs: scaled(10_000), what: 'a new leader' },
      );
      await cluster.restart(old);
    },
    async cleanup() {
      await Promise.all([...dispatchers.values()].map((d) => d.stop()));
      await cluster.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
  await leader();
  return fixture;
}

export const WAVES = 4;
export const PER_WAVE = 15;
export const TOTAL = WAVES * PER_WAVE;

// appends the event's number, then takes a moment before it is acked, so
// a leader killed between waves often leaves attempts mid-way
export function recorder(file: string, holdMs: number): string {
  return `import { appendFileSync } from 'node:fs';
export default async function record(event) {
  appendFileSync(${JSON.stringify(file)}, event.payload.n + '\\n');
  await new Promise((resolve) => setTimeout(resolve, ${holdMs}));
}
`;
}

export function hooksToml(handlers: string): string {
  return `[hooks]\nenabled = true\n${handlers}`;
}

export async function lines(file: string): Promise<number[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

/** Publishes `TOTAL` events in waves, killing the leader between waves. */
export async function publishThroughFailovers(h: HookCluster, topic: string) {
  for (let wave = 0; wave < WAVES; wave++) {
    for (let i = 0; i < PER_WAVE; i++) {
      const n = wave * PER_WAVE + i;
      await h.propose({ t: 'publish', topic, payload: { n } });
    }
    if (wave < WAVES - 1) {
      await h.failover();
    }
  }
}

export async function saveFigures(
  name: string,
  figures: object,
): Promise<void> {
  const dir = join(process.cwd(), 'test-results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.json`), JSON.stringify(figures, null, 2));
}

export function jobEvents(events: StateEvent[], state: string): JobEvent[] {
  return events
    .filter((e) => e.topic === `$jobs.${state}`)
    .map((e) => e.payload as JobEvent);
}
