import { rowId } from '../../lib/timeline-filter';
import { positionOf, timelineStore } from '../../state/timeline-store';

/** The number of rows the list shows. */
export function visibleCount(): number {
  const { visible, rows } = timelineStore.getState();
  return visible === null ? rows.length : visible.length;
}

/** The row at a position of the shown list. */
export function visibleRow(i: number) {
  const { visible, rows } = timelineStore.getState();
  return visible === null ? rows[i] : rows[visible[i] ?? -1];
}

/** Where the selected row sits in the shown list, or -1. */
export function selectedVisibleIndex(): number {
  const { selectedId, visible } = timelineStore.getState();
  if (selectedId === null) {
    return -1;
  }
  const position = positionOf(selectedId);
  if (visible === null || position < 0) {
    return position;
  }
  let lo = 0;
  let hi = visible.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (visible[mid]! < position) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return visible[lo] === position ? lo : -1;
}

/** Selects the next or previous shown row and scrolls to it. */
export function moveSelection(step: 1 | -1): void {
  const count = visibleCount();
  if (count === 0) {
    return;
  }
  const at = selectedVisibleIndex();
  const next =
    at < 0
      ? step > 0
        ? 0
        : count - 1
      : Math.min(Math.max(at + step, 0), count - 1);
  const row = visibleRow(next);
  if (row !== undefined) {
    timelineStore.getState().reveal(rowId(row));
  }
}
