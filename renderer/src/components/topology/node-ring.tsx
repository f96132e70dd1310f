import { useStore } from 'zustand';

import type { NodeStatus } from '../../../../preload/contract';
import { quorumSides } from '../../lib/quorum';
import { clusterStore } from '../../state/cluster-store';

import { NODE_RADIUS, ringPoints, RING_SIZE } from './ring-geometry';
import { RingLinks } from './ring-links';
import { RingPulses } from './ring-pulses';

const ROLE_LABEL: Record<string, string> = {
  leader: 'leader',
  follower: 'follower',
  candidate: 'candidate',
  preCandidate: 'pre-candidate',
  learner: 'learner',
};

function describe(node: NodeStatus): string {
  if (node.state === 'killed') {
    return `node ${node.id}, killed`;
  }
  const role = ROLE_LABEL[node.role ?? ''] ?? 'unknown';
  return `node ${node.id}, ${role}, term ${node.term}, commit ${node.commit}, applied ${node.applied}`;
}

/** The nodes on a ring with their links and the traffic between them. */
export function NodeRing(): React.JSX.Element | null {
  const status = useStore(clusterStore, (state) => state.status);
  const selected = useStore(clusterStore, (state) => state.selected);
  if (status === null) {
    return null;
  }
  const points = ringPoints(status.nodes.map((node) => node.id));
  const sides = quorumSides(status);
  const isSplit = sides.length > 1;
  const minority = new Set(
    sides.filter((side) => !side.canCommit).flatMap((side) => side.nodes),
  );

  return (
    <svg
      className="ring"
      viewBox={`0 0 ${RING_SIZE} ${RING_SIZE}`}
      role="group"
      aria-label="Cluster ring"
      data-testid="node-ring"
    >
      <circle
        className="ring-guide"
        cx={RING_SIZE / 2}
        cy={RING_SIZE / 2}
        r={150}
      />
      <RingLinks status={status} points={points} />
      <RingPulses points={points} />
      {status.nodes.map((node) => {
        const p = points.get(node.id)!;
        const role =
          node.state === 'killed' ? 'killed' : (node.role ?? 'unknown');
        const isMinority = isSplit && minority.has(node.id);
        const classes = [
          'node',
          `node-${role}`,
          node.id === selected ? 'selected' : '',
          isMinority ? 'minority' : '',
        ].join(' ');
        return (
          <g
            key={node.id}
            className={classes}
            transform={`translate(${p.x} ${p.y})`}
            role="button"
            tabIndex={0}
            aria-pressed={node.id === selected}
            aria-label={describe(node)}
            data-testid={`node-${node.id}`}
            data-role={role}
            onClick={() =>
              clusterStore
                .getState()
                .select(node.id === selected ? null : node.id)
            }
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                clusterStore.getState().select(node.id);
              }
            }}
          >
            <circle className="node-halo" r={NODE_RADIUS + 6} />
            <circle className="node-under" r={NODE_RADIUS} />
            <circle className="node-body" r={NODE_RADIUS} />
            <text className="node-id" y={-6}>
              n{node.id}
            </text>
            <text className="node-role" y={10}>
              {node.state === 'killed' ? 'killed' : ROLE_LABEL[role]}
            </text>
            {node.state === 'running' && (
              <text className="node-term" y={24}>
                T{node.term} · {node.commit}/{node.applied}
              </text>
            )}
            {!node.isVoter && (
              <text className="node-tag" y={-NODE_RADIUS - 10}>
                learner
              </text>
            )}
            {isMinority && (
              <text className="node-tag minority-tag" y={NODE_RADIUS + 18}>
                cannot commit
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
