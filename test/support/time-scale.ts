/**
 * Stretches a test's deadline on slow machines: ASPEN_TEST_TIME_SCALE=3
 * gives every liveness deadline three times as long. Never a speed claim.
 */
export function scaled(ms: number): number {
  const scale = Number(process.env.ASPEN_TEST_TIME_SCALE ?? '1');
  return ms * (Number.isFinite(scale) && scale > 0 ? scale : 1);
}
