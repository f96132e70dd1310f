import { createStore } from 'zustand/vanilla';

import type { HooksListResponse } from '../../../preload/contract';

/** Columns of the metrics charts: one value per second. */
export interface MetricSeries {
  /** Unix seconds. */
  time: number[];
  events: number[];
  succeeded: number[];
  failed: number[];
  p50: (number | null)[];
  p99: (number | null)[];
}

interface MetricsState {
  series: MetricSeries;
  /** Bumped once a second when a bucket closes. */
  version: number;
  totalEvents: number;
  recordEvents(count: number): void;
  sampleHooks(list: HooksListResponse): void;
  tick(now: number): void;
}

const WINDOW_SECONDS = 300;

let pendingEvents = 0;
let totals = { succeeded: 0, failed: 0 };
let lastTotals: typeof totals | undefined;
let latency: { p50: number | null; p99: number | null } = {
  p50: null,
  p99: null,
};

function emptySeries(): MetricSeries {
  return { time: [], events: [], succeeded: [], failed: [], p50: [], p99: [] };
}

/** Throughput and latency, sampled per second for the charts. */
export const metricsStore = createStore<MetricsState>()((set, get) => ({
  series: emptySeries(),
  version: 0,
  totalEvents: 0,
  recordEvents: (count) => {
    pendingEvents += count;
  },
  sampleHooks: (list) => {
    let succeeded = 0;
    let failed = 0;
    let p50: number | null = null;
    let p99: number | null = null;
    for (const hook of list.hooks) {
      const m = hook.metrics;
      if (m === null) {
        continue;
      }
      succeeded += m.succeeded;
      failed += m.failed;
      if (m.latencyP50Ms !== null) {
        p50 = Math.max(p50 ?? 0, m.latencyP50Ms);
      }
      if (m.latencyP99Ms !== null) {
        p99 = Math.max(p99 ?? 0, m.latencyP99Ms);
      }
    }
    totals = { succeeded, failed };
    latency = { p50, p99 };
  },
  tick: (now) => {
    const { series, version, totalEvents } = get();
    const previous = lastTotals ?? totals;
    lastTotals = totals;
    const push = <T>(column: T[], value: T) => {
      column.push(value);
      if (column.length > WINDOW_SECONDS) {
        column.shift();
      }
    };
    push(series.time, Math.floor(now / 1000));
    push(series.events, pendingEvents);
    push(series.succeeded, Math.max(0, totals.succeeded - previous.succeeded));
    push(series.failed, Math.max(0, totals.failed - previous.failed));
    push(series.p50, latency.p50);
    push(series.p99, latency.p99);
    set({ version: version + 1, totalEvents: totalEvents + pendingEvents });
    pendingEvents = 0;
  },
}));

/** Closes a bucket every second; returns the stop. */
export function startMetricsClock(): () => void {
  const timer = setInterval(
    () => metricsStore.getState().tick(Date.now()),
    1000,
  );
  return () => clearInterval(timer);
}
