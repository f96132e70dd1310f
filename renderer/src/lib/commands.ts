import { clusterStore } from '../state/cluster-store';
import { jobsStore } from '../state/jobs-store';

/** The node the topology controls act on: the selected one, or the leader. */
export function targetNode(): number | null {
  const { selected, status } = clusterStore.getState();
  return selected ?? status?.leader ?? null;
}

/** Kills a node (the leader when none is given). */
export function killNode(node = targetNode()): void {
  if (node !== null) {
    void clusterStore
      .getState()
      .act(`Kill node ${node}`, 'cluster:kill', { node });
  }
}

/** Restarts a node, or the first killed one. */
export function restartNode(node?: number): void {
  const status = clusterStore.getState().status;
  const selected = clusterStore.getState().selected;
  const id =
    node ??
    status?.nodes.find((n) => n.id === selected && n.state === 'killed')?.id ??
    status?.nodes.find((n) => n.state === 'killed')?.id;
  if (id !== undefined) {
    void clusterStore
      .getState()
      .act(`Restart node ${id}`, 'cluster:restart', { node: id });
  }
}

/** Removes every network fault. */
export function healNetwork(): void {
  void clusterStore.getState().act('Heal', 'cluster:heal', {});
}

/** Hands leadership to the selected node. */
export function transferTo(node = clusterStore.getState().selected): void {
  if (node !== null) {
    void clusterStore
      .getState()
      .act(`Transfer leadership to ${node}`, 'cluster:transfer', { to: node });
  }
}

/** Adds a voter (or a learner). */
export function addNode(asLearner = false): void {
  void clusterStore
    .getState()
    .act(asLearner ? 'Add learner' : 'Add node', 'cluster:add', { asLearner });
}

/** Splits the selected node off from the rest. */
export function isolateNode(node = clusterStore.getState().selected): void {
  const status = clusterStore.getState().status;
  if (node === null || status === null) {
    return;
  }
  const rest = status.nodes.map((n) => n.id).filter((id) => id !== node);
  void clusterStore
    .getState()
    .act(`Isolate node ${node}`, 'cluster:partition', {
      groups: [[node], rest],
    });
}

/** Cuts one direction of a link. */
export function cutLink(from: number, to: number): void {
  void clusterStore
    .getState()
    .act(`Cut ${from}→${to}`, 'cluster:cut', { from, to });
}

/** Moves the node selection along the ring. */
export function selectNext(step: 1 | -1): void {
  const { status, selected } = clusterStore.getState();
  const ids = status?.nodes.map((node) => node.id) ?? [];
  if (ids.length === 0) {
    return;
  }
  const at = selected === null ? -1 : ids.indexOf(selected);
  const next = ids[(at + step + ids.length) % ids.length]!;
  clusterStore.getState().select(next);
}

/** Redrives the DLQ entries ticked in the Jobs view. */
export function redriveSelected(): void {
  const ids = [...jobsStore.getState().selected];
  if (ids.length > 0) {
    void jobsStore.getState().redrive({ ids });
  }
}

/** Focuses an element by id (a field a shortcut leads to). */
export function focusById(id: string): void {
  const element = document.getElementById(id);
  element?.focus();
  if (element instanceof HTMLInputElement) {
    element.select();
  }
}
