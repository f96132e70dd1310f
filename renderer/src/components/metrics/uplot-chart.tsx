import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line of a chart. */
export interface ChartLine {
  label: string;
  /** A CSS variable name for its colour, e.g. `--accent`. */
  colorVar: string;
  values: (number | null)[];
}

const WINDOW_S = 300;

interface Props {
  title: string;
  unit: string;
  time: number[];
  lines: ChartLine[];
  /** Bumped when the data changed. */
  version: number;
  /** Bumped when the theme changed (colours are read from CSS). */
  theme: string;
  /** Shown over the plot while it has nothing to draw. */
  emptyText?: string;
}

function cssVar(host: HTMLElement, name: string): string {
  return getComputedStyle(host).getPropertyValue(name).trim() || '#888';
}

/** A uPlot chart held in a ref, resized with its box. */
export function UplotChart(props: Props): React.JSX.Element {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const { title, unit, lines, theme } = props;

  useEffect(() => {
    const host = hostRef.current;
    if (host === null) {
      return;
    }
    const axis = {
      stroke: cssVar(host, '--muted'),
      grid: { stroke: cssVar(host, '--grid') },
      ticks: { stroke: cssVar(host, '--grid') },
    };
    const plot = new uPlot(
      {
        width: host.clientWidth || 600,
        height: 220,
        legend: { show: true },
        series: [
          {},
          ...lines.map((line) => ({
            label: line.label,
            stroke: cssVar(host, line.colorVar),
            width: 1.5,
            spanGaps: false,
          })),
        ],
        axes: [axis, { ...axis, label: unit, size: 56 }],
        // a fixed five-minute window, so a few points do not stretch
        // the axis over years
        scales: {
          x: { time: true, range: (_u, _min, max) => [max - WINDOW_S, max] },
        },
      },
      [[], ...lines.map(() => [])],
      host,
    );
    plotRef.current = plot;
    const observer = new ResizeObserver(() =>
      plot.setSize({ width: host.clientWidth, height: 220 }),
    );
    observer.observe(host);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
    // lines are read for their labels and colours only: rebuild on theme
  }, [theme, unit]);

  useEffect(() => {
    plotRef.current?.setData([
      props.time,
      ...props.lines.map((l) => l.values),
    ] as uPlot.AlignedData);
  }, [props.version, props.time, props.lines]);

  return (
    <figure className="chart">
      <figcaption>
        {title}
        {props.emptyText !== undefined && (
          <span className="muted"> · {props.emptyText}</span>
        )}
      </figcaption>
      <div ref={hostRef} className="chart-host" />
    </figure>
  );
}
