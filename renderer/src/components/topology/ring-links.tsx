import type { ClusterStatus } from '../../../../preload/contract';
import { isLinkOpen } from '../../lib/quorum';

import { along, NODE_RADIUS, type RingPoint } from './ring-geometry';

interface Props {
  status: ClusterStatus;
  points: Map<number, RingPoint>;
}

function linkLabel(status: ClusterStatus, from: number, to: number): string {
  const link = status.faults.links.find((l) => l.from === from && l.to === to);
  if (link === undefined) {
    return '';
  }
  const parts: string[] = [];
  if (link.delayMs) {
    parts.push(`+${link.delayMs}ms`);
  }
  if (link.drop) {
    parts.push(`${Math.round(link.drop * 100)}% drop`);
  }
  return parts.join(' ');
}

/** The links between every pair of nodes: open, cut one way, or down. */
export function RingLinks({ status, points }: Props): React.JSX.Element {
  const ids = status.nodes.map((node) => node.id);
  const lines: React.JSX.Element[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      const pa = points.get(a)!;
      const pb = points.get(b)!;
      const forward = isLinkOpen(status, a, b);
      const backward = isLinkOpen(status, b, a);
      const state =
        forward && backward ? 'open' : forward || backward ? 'oneway' : 'down';
      const label = [linkLabel(status, a, b), linkLabel(status, b, a)]
        .filter(Boolean)
        .join(' / ');
      const mid = { x: (pa.x + pb.x) / 2, y: (pa.y + pb.y) / 2 };
      lines.push(
        <g key={`${a}-${b}`} className={`link link-${state}`}>
          <line x1={pa.x} y1={pa.y} x2={pb.x} y2={pb.y} />
          {state === 'down' && (
            <text x={mid.x} y={mid.y + 4} className="link-mark">
              ✕
            </text>
          )}
          {state === 'oneway' && (
            <CutMark
              from={forward ? b : a}
              to={forward ? a : b}
              points={points}
            />
          )}
          {label !== '' && (
            <text x={mid.x} y={mid.y - 8} className="link-label">
              {label}
            </text>
          )}
        </g>,
      );
    }
  }
  return <g>{lines}</g>;
}

// a cross near the receiving end of the blocked direction, with its name
function CutMark(props: {
  from: number;
  to: number;
  points: Map<number, RingPoint>;
}): React.JSX.Element {
  const from = props.points.get(props.from)!;
  const to = props.points.get(props.to)!;
  const at = along(to, from, NODE_RADIUS + 30);
  // the label sits beside the line, not on it
  const length = Math.hypot(from.x - to.x, from.y - to.y) || 1;
  const nx = (-(from.y - to.y) / length) * 16;
  const ny = ((from.x - to.x) / length) * 16;
  return (
    <g data-testid={`cut-${props.from}-${props.to}`}>
      <text x={at.x} y={at.y + 5} className="link-mark">
        ✕
      </text>
      <text x={at.x + nx} y={at.y + ny + 4} className="link-label cut-label">
        {props.from}↛{props.to}
      </text>
    </g>
  );
}
