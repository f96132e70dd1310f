// The one table (ours beside each other system, with ours/theirs ratios),
// the notes every figure needs (durability, access path, counts, spread,
// machine load), and the same as JSON for bench/results/compare.json.
import type { SystemName } from './jobs';
import type { Settings } from './schedule';
import type { Tally } from './tally';

/** A system as the report names it. */
export interface SystemInfo {
  name: SystemName;
  label: string;
  durability: string;
  access: string;
}

interface Row {
  label: string;
  key: string;
  pick(tally: Tally): number | null | undefined;
}

function rowsFor(many: number): Row[] {
  return [
    {
      label: 'writes/s, 1 client',
      key: 'writesPerSecond1',
      pick: (t) => t.writes(1)?.perSecond,
    },
    {
      label: 'p50 ms, 1 client',
      key: 'p50Ms1',
      pick: (t) => t.writes(1)?.p50Ms,
    },
    {
      label: 'p99 ms, 1 client',
      key: 'p99Ms1',
      pick: (t) => t.writes(1)?.p99Ms,
    },
    {
      label: `writes/s, ${many} clients`,
      key: `writesPerSecond${many}`,
      pick: (t) => t.writes(many)?.perSecond,
    },
    {
      label: `p50 ms, ${many} clients`,
      key: `p50Ms${many}`,
      pick: (t) => t.writes(many)?.p50Ms,
    },
    {
      label: `p99 ms, ${many} clients`,
      key: `p99Ms${many}`,
      pick: (t) => t.writes(many)?.p99Ms,
    },
    {
      label: `server CPU ms/1k writes, ${many} cl.`,
      key: 'serverCpuMsPer1k',
      pick: (t) => t.writes(many)?.serverCpuMsPer1k,
    },
    {
      label: 'watch from start, events/s',
      key: 'watchPerSecond',
      pick: (t) => t.watch()?.perSecond,
    },
    {
      label: 'failover median ms',
      key: 'failoverMedianMs',
      pick: (t) => t.failover()?.medianMs,
    },
  ];
}

function format(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '—';
  }
  if (Math.abs(value) >= 100) {
    return Math.round(value).toLocaleString('en-US');
  }
  return value.toFixed(2);
}

function ratioOf(
  ours: number | null | undefined,
  theirs: number | null | undefined,
) {
  if (ours == null || theirs == null || !(theirs > 0) || Number.isNaN(ours)) {
    return null;
  }
  return Math.round((ours / theirs) * 100) / 100;
}

/** The table, as printed lines. */
export function renderTable(
  systems: SystemInfo[],
  tallies: Map<SystemName, Tally>,
  settings: Settings,
): string[] {
  const ours = tallies.get('aspen');
  const others = systems.filter((s) => s.name !== 'aspen');
  const header = ['figure', 'ours'];
  for (const other of others) {
    const short = other.name === 'etcd' ? 'etcd' : 'NATS';
    header.push(short, `ours/${short}`);
  }
  const lines: string[][] = [header];
  for (const row of rowsFor(settings.manyClients)) {
    const mine = ours === undefined ? undefined : row.pick(ours);
    const cells = [row.label, ours === undefined ? 'skipped' : format(mine)];
    for (const other of others) {
      const tally = tallies.get(other.name);
      const theirs = tally === undefined ? undefined : row.pick(tally);
      const ratio = ratioOf(mine, theirs);
      cells.push(
        tally === undefined ? 'skipped' : format(theirs),
        ratio === null ? '—' : `${ratio.toFixed(2)}×`,
      );
    }
    lines.push(cells);
  }
  const widths = header.map((_, i) =>
    Math.max(...lines.map((cells) => cells[i]!.length)),
  );
  return lines.map((cells) =>
    cells
      .map((cell, i) =>
        i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
      )
      .join('  '),
  );
}

/** The ours/theirs ratio of every figure, per other system. */
export function ratios(
  systems: SystemInfo[],
  tallies: Map<SystemName, Tally>,
  settings: Settings,
): Partial<Record<SystemName, Record<string, number | null>>> {
  const ours = tallies.get('aspen');
  const out: Partial<Record<SystemName, Record<string, number | null>>> = {};
  for (const other of systems.filter((s) => s.name !== 'aspen')) {
    const theirs = tallies.get(other.name);
    if (ours === undefined || theirs === undefined) {
      continue;
    }
    out[other.name] = Object.fromEntries(
      rowsFor(settings.manyClients).map((row) => [
        row.key,
        ratioOf(row.pick(ours), row.pick(theirs)),
      ]),
    );
  }
  return out;
}

/** Figures of one system for the JSON file. */
export function figuresOf(tally: Tally, settings: Settings) {
  return {
    writes1: tally.writes(1) ?? null,
    [`writes${settings.manyClients}`]:
      tally.writes(settings.manyClients) ?? null,
    watch: tally.watch() ?? null,
    failover: tally.failover() ?? null,
  };
}
