/** `in 1.2 s`, `3 s ago`: a cluster time relative to now. */
export function relative(at: number, now = Date.now()): string {
  const delta = at - now;
  const abs = Math.abs(delta);
  const text =
    abs < 1000
      ? `${Math.round(abs)} ms`
      : abs < 120_000
        ? `${(abs / 1000).toFixed(1)} s`
        : `${Math.round(abs / 60_000)} min`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

/** A delay as people read it. */
export function duration(ms: number | null): string {
  if (ms === null) {
    return '–';
  }
  return ms < 1000
    ? `${ms} ms`
    : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
