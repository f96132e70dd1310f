// The lines printed under the table: what each write means (durability),
// how the load got there, how many writes and trials the figures rest on,
// their spread, errors, the 64-client goal against etcd, and how busy the
// machine was. A figure without these would mislead.
import type { SystemName } from './jobs';
import type { SystemInfo } from './report';
import type { Settings } from './schedule';
import type { Tally } from './tally';

const num = (value: number) => Math.round(value).toLocaleString('en-US');

/** Idle CPU per system, as one line. */
export function idleLine(
  systems: SystemInfo[],
  shares: Partial<Record<SystemName, number>>,
): string {
  const parts = systems.map((system) => {
    const share = shares[system.name];
    const text = share === undefined ? '?' : `${Math.round(share * 100)}%`;
    return `${system.name} ${text}`;
  });
  return (
    `idle CPU before the runs (share of one core; all three stay up, so ` +
    `this lands on the others' runs): ${parts.join(', ')}`
  );
}

/** The load average over the run, as one line. */
export function machineLine(
  cores: number,
  before: number[],
  after: number[],
): string {
  const busy = Math.max(before[0] ?? 0, after[0] ?? 0) > cores * 0.5;
  return (
    `machine: ${cores} cores; 1-min load average ${before[0]!.toFixed(1)} ` +
    `before, ${after[0]!.toFixed(1)} after` +
    (busy ? ' (other work was running: figures are noisy)' : '')
  );
}

export function renderNotes(
  systems: SystemInfo[],
  tallies: Map<SystemName, Tally>,
  settings: Settings,
): string[] {
  const many = settings.manyClients;
  const lines = [
    'ratio = ours ÷ theirs: above 1× is better for rates, below 1× for ms',
    `writes: 256-byte values, acknowledged one at a time per client; ` +
      `${num(settings.writesOne)} per system with 1 client (fewer, to keep ` +
      `the run short) and ${num(settings.writesMany)} with ${many}, in ` +
      `${settings.rounds} interleaved rounds; 1 client writes to the ` +
      `leader, ${many} spread over every member`,
  ];
  for (const system of systems) {
    lines.push(`${system.label}: ${system.durability}; ${system.access}`);
  }
  for (const system of systems) {
    const tally = tallies.get(system.name)!;
    const parts: string[] = [];
    for (const clients of [1, many]) {
      const figures = tally.writes(clients);
      if (figures !== undefined) {
        const rounds = figures.roundsPerSecond.map(num).join(', ');
        const errors =
          figures.errors === 0
            ? ''
            : `, ${figures.errors} errors (${figures.firstError})`;
        parts.push(
          `c=${clients} ${num(figures.writes)} ok, rounds ${rounds}/s, ` +
            `max ${num(figures.maxMs)} ms, client CPU ` +
            `${Math.round(figures.clientCpuShare * 100)}%${errors}`,
        );
      }
    }
    const watch = tally.watch();
    if (watch !== undefined) {
      parts.push(
        `watch ${num(watch.delivered)}/${num(watch.expected)} delivered`,
      );
    }
    const failover = tally.failover();
    if (failover !== undefined) {
      const times = failover.timesMs
        .map((ms, i) => `${failover.victims[i]} ${ms ?? 'none'}`)
        .join(', ');
      parts.push(
        `failover ms ${times} (${failover.failedProbes} failed probes)`,
      );
    }
    lines.push(`${system.name}: ${parts.join('; ')}`);
  }
  lines.push(goalLine(tallies, many));
  return lines;
}

/** The goal: at 64 clients, durable throughput and p99 vs etcd. */
function goalLine(tallies: Map<SystemName, Tally>, many: number): string {
  const ours = tallies.get('aspen')?.writes(many);
  const etcd = tallies.get('etcd')?.writes(many);
  if (ours === undefined || etcd === undefined) {
    return `goal vs etcd at ${many} clients: not measured (a system is missing)`;
  }
  const rate = ours.perSecond / etcd.perSecond;
  const p99 = ours.p99Ms / etcd.p99Ms;
  const isMet = rate >= 1 && p99 <= 1;
  return (
    `goal vs etcd at ${many} clients (both fsync a quorum): throughput ` +
    `${rate.toFixed(2)}× (goal ≥ 1), p99 ${p99.toFixed(2)}× (goal ≤ 1): ` +
    (isMet ? 'met on this run' : 'NOT met on this run')
  );
}
