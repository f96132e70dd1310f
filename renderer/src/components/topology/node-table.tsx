import { useStore } from 'zustand';

import { clusterStore } from '../../state/cluster-store';

/** Every node's numbers, dense and aligned for comparing. */
export function NodeTable(): React.JSX.Element | null {
  const status = useStore(clusterStore, (state) => state.status);
  const selected = useStore(clusterStore, (state) => state.selected);
  if (status === null) {
    return null;
  }
  return (
    <table className="grid node-table" data-testid="node-table">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Role</th>
          <th scope="col" className="num">
            Term
          </th>
          <th scope="col" className="num">
            Commit
          </th>
          <th scope="col" className="num">
            Applied
          </th>
          <th scope="col" className="num">
            Log
          </th>
          <th scope="col" className="num">
            Snap
          </th>
          <th scope="col">Leader</th>
        </tr>
      </thead>
      <tbody>
        {status.nodes.map((node) => (
          <tr
            key={node.id}
            className={node.id === selected ? 'selected' : undefined}
            onClick={() => clusterStore.getState().select(node.id)}
          >
            <td>
              n{node.id}
              {node.isVoter ? '' : ' (learner)'}
            </td>
            <td>
              <span
                className={`role role-${node.state === 'killed' ? 'killed' : node.role}`}
              >
                {node.state === 'killed' ? 'killed' : node.role}
              </span>
            </td>
            <td className="num">{node.state === 'killed' ? '–' : node.term}</td>
            <td className="num">
              {node.state === 'killed' ? '–' : node.commit}
            </td>
            <td className="num">
              {node.state === 'killed' ? '–' : node.applied}
            </td>
            <td className="num">
              {node.state === 'killed' ? '–' : node.lastIndex}
            </td>
            <td className="num">
              {node.state === 'killed' ? '–' : node.snapshotIndex}
            </td>
            <td>{node.leader === 0 ? '–' : `n${node.leader}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
