import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-run token (192 bits, URL-safe). */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares a token in constant time; anything not a string fails. */
export function tokensMatch(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') {
    return false;
  }
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
