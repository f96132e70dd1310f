/** Where each node sits on the ring (SVG user units). */
export interface RingPoint {
  x: number;
  y: number;
}

export const RING_SIZE = 440;
export const NODE_RADIUS = 38;
const CENTER = RING_SIZE / 2;
const RADIUS = 150;

/** Places nodes evenly on a circle, the first at the top. */
export function ringPoints(ids: readonly number[]): Map<number, RingPoint> {
  const points = new Map<number, RingPoint>();
  ids.forEach((id, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(ids.length, 1);
    points.set(id, {
      x: CENTER + RADIUS * Math.cos(angle),
      y: CENTER + RADIUS * Math.sin(angle),
    });
  });
  return points;
}

/** A point `distance` along the segment from `a` towards `b`. */
export function along(a: RingPoint, b: RingPoint, distance: number): RingPoint {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy) || 1;
  return {
    x: a.x + (dx / length) * distance,
    y: a.y + (dy / length) * distance,
  };
}
