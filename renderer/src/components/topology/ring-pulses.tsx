import { useStore } from 'zustand';

import { clusterStore } from '../../state/cluster-store';
import { slowMotion, timeStore } from '../../state/time-store';

import { along, NODE_RADIUS, type RingPoint } from './ring-geometry';

// the length of topology.css's pulse-travel animation at full speed
const PULSE_SECONDS = 0.85;

/** Messages in flight, drawn as dots that run along their link once. */
export function RingPulses(props: {
  points: Map<number, RingPoint>;
}): React.JSX.Element {
  const pulses = useStore(clusterStore, (state) => state.pulses);
  // subscribed so a new speed redraws the dots at their new pace
  useStore(timeStore, (state) => state.state?.speed);
  const stretch = slowMotion();
  return (
    <g aria-hidden="true">
      {pulses.map((pulse) => {
        const a = props.points.get(pulse.from);
        const b = props.points.get(pulse.to);
        if (a === undefined || b === undefined) {
          return null;
        }
        const start = along(a, b, NODE_RADIUS);
        const end = along(b, a, NODE_RADIUS);
        const style = {
          '--dx': `${end.x - start.x}px`,
          '--dy': `${end.y - start.y}px`,
          animationDuration: `${PULSE_SECONDS * stretch}s`,
        } as React.CSSProperties;
        return (
          <circle
            key={pulse.id}
            className={`pulse pulse-${pulse.kind}`}
            cx={start.x}
            cy={start.y}
            r={pulse.kind === 'ack' ? 3 : 4.5}
            style={style}
          />
        );
      })}
    </g>
  );
}
