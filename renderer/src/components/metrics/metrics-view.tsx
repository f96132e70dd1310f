import { useEffect } from 'react';
import { useStore } from 'zustand';

import { appStore } from '../../state/app-store';
import { hooksPoller } from '../../state/hooks-store';
import { metricsStore } from '../../state/metrics-store';
import { timelineStore } from '../../state/timeline-store';

import { UplotChart } from './uplot-chart';

function Tile(props: { label: string; value: string }): React.JSX.Element {
  return (
    <div className="tile">
      <div className="tile-value">{props.value}</div>
      <div className="tile-label">{props.label}</div>
    </div>
  );
}

/** Throughput and handler latency, one point per second. */
export function MetricsView(): React.JSX.Element {
  const version = useStore(metricsStore, (state) => state.version);
  const series = useStore(metricsStore, (state) => state.series);
  const theme = useStore(appStore, (state) => state.theme);
  const rows = useStore(timelineStore, (state) => state.rows.length);
  useEffect(() => hooksPoller.acquire(), []);
  const last = (column: (number | null)[]) => column[column.length - 1] ?? null;
  const p99 = last(series.p99);

  return (
    <section className="view metrics-view" aria-labelledby="view-title">
      <header className="view-head">
        <h1 id="view-title">Metrics</h1>
        <span className="muted">last 5 minutes, one point per second</span>
      </header>
      <div className="tiles">
        <Tile label="events / s" value={String(last(series.events) ?? 0)} />
        <Tile label="events in the timeline" value={String(rows)} />
        <Tile
          label="handler runs ok / s"
          value={String(last(series.succeeded) ?? 0)}
        />
        <Tile
          label="handler p99 (ms)"
          value={p99 === null ? '–' : String(Math.round(p99))}
        />
      </div>
      <UplotChart
        title="Throughput"
        unit="per second"
        time={series.time}
        version={version}
        theme={theme}
        lines={[
          { label: 'events', colorVar: '--accent', values: series.events },
          { label: 'handler ok', colorVar: '--good', values: series.succeeded },
          { label: 'handler failed', colorVar: '--bad', values: series.failed },
        ]}
      />
      <UplotChart
        title="Handler latency (slowest hook)"
        unit="ms"
        emptyText={
          series.p99.some((v) => v !== null)
            ? undefined
            : 'no handler has run yet: latency appears once hooks run'
        }
        time={series.time}
        version={version}
        theme={theme}
        lines={[
          { label: 'p50', colorVar: '--accent', values: series.p50 },
          { label: 'p99', colorVar: '--warn', values: series.p99 },
        ]}
      />
    </section>
  );
}
