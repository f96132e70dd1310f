import type { BackoffPolicy } from './types';

/**
 * The delay before the retry that follows failed attempt number `attempts`
 * (from 1): `initialMs × multiplier^(attempts−1)`, capped at `maxMs`
 * (reference §8.3). With jitter on, the delay is drawn from
 * [delay/2, delay] using the entry's `random`, so every replica draws the
 * same value.
 */
export function retryDelay(
  policy: BackoffPolicy,
  attempts: number,
  random: number,
): number {
  const exponent = Math.max(0, attempts - 1);
  const raw = policy.initialMs * policy.multiplier ** exponent;
  const delay = Math.round(Math.min(policy.maxMs, raw));
  if (!policy.jitter || delay <= 1) {
    return delay;
  }
  const floor = Math.floor(delay / 2);
  // uint32 modulo a small span: the bias is far below a millisecond
  return floor + ((random >>> 0) % (delay - floor + 1));
}
