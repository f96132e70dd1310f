// bench:compare — ours beside etcd 3.4 and NATS JetStream 2.9, each a
// 3-member cluster on loopback with durable storage, driven by the same
// load generator (a separate process per run) with the same value size
// and client counts, interleaved A B C A B C (DESIGN §7). Installs nothing:
// a system whose server is missing is skipped, and the output says so.
// Prints one table with ours/theirs ratios and writes
// bench/results/compare.json. Asserts nothing.
//
// Size it with BENCH_WRITES (64-client writes per system, 50000),
// BENCH_WRITES_1 (1-client, 5000), BENCH_ROUNDS (2), BENCH_TRIALS (5),
// BENCH_SETTLE_MS (5000), BENCH_BUDGET_S (540), BENCH_SYSTEMS
// (aspen,etcd,nats), BENCH_ASPEN_CARRIER (http | ws); ETCD_BIN and
// NATS_SERVER point at other binaries.
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startAspen } from './compare/aspen-cluster';
import { startEtcd } from './compare/etcd-cluster';
import type { SystemName } from './compare/jobs';
import { startNats } from './compare/nats-cluster';
import { idleLine, machineLine, renderNotes } from './compare/notes';
import {
  cpuSeconds,
  findBinary,
  installCleanup,
  killAllGroups,
  sleep,
} from './compare/processes';
import { figuresOf, ratios, renderTable } from './compare/report';
import { runSchedule, type Settings } from './compare/schedule';
import type { SystemUnderTest } from './compare/system';

const ROOT = resolve(__dirname, '..');
const IDLE_SAMPLE_MS = 3000;

function numberFrom(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

const settings: Settings = {
  writesOne: numberFrom('BENCH_WRITES_1', 5_000),
  writesMany: numberFrom('BENCH_WRITES', 50_000),
  manyClients: 64,
  rounds: Math.max(1, numberFrom('BENCH_ROUNDS', 2)),
  trials: numberFrom('BENCH_TRIALS', 5),
  settleMs: numberFrom('BENCH_SETTLE_MS', 5_000),
  budgetMs: numberFrom('BENCH_BUDGET_S', 540) * 1000,
};
const wanted = (process.env.BENCH_SYSTEMS ?? 'aspen,etcd,nats').split(',');
const carrier = process.env.BENCH_ASPEN_CARRIER === 'ws' ? 'ws' : 'http';

async function startAll(dir: string, skipped: string[]) {
  const systems: SystemUnderTest[] = [];
  const attempt = async (
    name: SystemName,
    start: () => Promise<SystemUnderTest>,
  ) => {
    if (!wanted.includes(name)) {
      skipped.push(`skipped: ${name} (not in BENCH_SYSTEMS)`);
      return;
    }
    try {
      systems.push(await start());
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      skipped.push(`skipped: ${name} failed to start: ${why}`);
    }
  };
  await attempt('aspen', () =>
    startAspen({ root: ROOT, dir: join(dir, 'aspen'), carrier }),
  );
  const etcd = findBinary('etcd', 'ETCD_BIN');
  if (etcd === undefined) {
    skipped.push('skipped: etcd not installed (apt-get install etcd-server)');
  } else {
    await attempt('etcd', () => startEtcd(etcd, join(dir, 'etcd')));
  }
  const nats = findBinary('nats-server', 'NATS_SERVER');
  if (nats === undefined) {
    skipped.push('skipped: NATS not installed (apt-get install nats-server)');
  } else {
    await attempt('nats', () => startNats(nats, join(dir, 'nats')));
  }
  return systems;
}

/**
 * CPU each system uses while idle, as a share of one core. All three stay
 * up for the whole run, so this is what each costs the others' runs.
 */
async function idleShares(systems: SystemUnderTest[]) {
  const before = systems.map((s) => cpuSeconds(s.serverPids()));
  const t0 = performance.now();
  await sleep(IDLE_SAMPLE_MS);
  const seconds = (performance.now() - t0) / 1000;
  const shares: Partial<Record<SystemName, number>> = {};
  systems.forEach((system, i) => {
    const after = cpuSeconds(system.serverPids());
    const start = before[i];
    if (after !== undefined && start !== undefined) {
      shares[system.name] = +((after - start) / seconds).toFixed(3);
    }
  });
  return shares;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const deadline = startedAt + settings.budgetMs;
  const loadBefore = loadavg();
  // data dirs on the same disk for all three: the temp dir's file system
  const dir = await mkdtemp(join(tmpdir(), 'aspen-bench-compare-'));
  // processes first (they hold the data open), then their data
  installCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const skipped: string[] = [];
  const log = (line: string) => console.log(line);
  let systems: SystemUnderTest[] = [];
  try {
    log(`bench:compare: starting clusters under ${dir}`);
    systems = await startAll(dir, skipped);
    skipped.forEach((line) => log(line));
    for (const system of systems) {
      log(`  ${system.label}: ${system.access}`);
    }
    const idle = await idleShares(systems);
    const logDir = join(dir, 'load');
    await mkdir(logDir, { recursive: true });
    const { tallies, skipped: notRun } = await runSchedule({
      systems,
      settings,
      root: ROOT,
      logDir,
      deadline,
      log,
    });
    const loadAfter = loadavg();
    const cores = cpus().length;
    log('');
    log(
      'bench:compare — 3-member clusters on loopback, durable storage, ' +
        'load from a separate process per run',
    );
    renderTable(systems, tallies, settings).forEach((line) => log(line));
    renderNotes(systems, tallies, settings).forEach((line) => log(line));
    log(idleLine(systems, idle));
    log(machineLine(cores, loadBefore, loadAfter));
    [...skipped, ...notRun].forEach((line) => log(line));

    const result = {
      date: new Date().toISOString(),
      durationS: Math.round((Date.now() - startedAt) / 1000),
      settings,
      machine: {
        cores,
        cpu: cpus()[0]?.model ?? 'unknown',
        loadAverageBefore: loadBefore.map((v) => +v.toFixed(2)),
        loadAverageAfter: loadAfter.map((v) => +v.toFixed(2)),
        node: process.version,
        dataDir: tmpdir(),
      },
      idleCpuShare: idle,
      skipped,
      notRun,
      systems: Object.fromEntries(
        systems.map((s) => [
          s.name,
          {
            label: s.label,
            durability: s.durability,
            access: s.access,
            ...figuresOf(tallies.get(s.name)!, settings),
          },
        ]),
      ),
      ratios: ratios(systems, tallies, settings),
    };
    await mkdir(join(ROOT, 'bench/results'), { recursive: true });
    await writeFile(
      join(ROOT, 'bench/results/compare.json'),
      JSON.stringify(result, null, 2),
    );
  } finally {
    await Promise.all(systems.map((s) => s.stop().catch(() => {})));
    killAllGroups();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
