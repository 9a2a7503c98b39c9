// Per-client token bucket for the web chat: bursts up to the budget, refilled evenly, so a
// user typing fast is fine and a script hammering the engine is slowed down. In memory, so
// the budget is per instance. A client is an IPv4 address or an IPv6 /64: one subscriber
// usually gets a whole /64, so counting each IPv6 address apart would give them unlimited turns.
import { isIPv4, isIPv6 } from 'node:net';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * @param budget tokens per window (the burst), refilled evenly over windowMs
 * @param windowMs one minute for turns, one hour for new conversations
 */
export function createRateLimiter(budget: number, now: () => number = Date.now, windowMs = 60_000): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const refillPerMs = budget / windowMs;
  let sweepAt = 0;

  // A bucket untouched for a whole window is full again, so forgetting it changes nothing.
  const sweep = (t: number): void => {
    if (t < sweepAt) return;
    sweepAt = t + Math.min(windowMs, 60_000);
    for (const [key, bucket] of buckets) if (t - bucket.updatedAt >= windowMs) buckets.delete(key);
  };

  return {
    take(key) {
      const t = now();
      sweep(t);
      const bucket = buckets.get(key) ?? { tokens: budget, updatedAt: t };
      bucket.tokens = Math.min(budget, bucket.tokens + (t - bucket.updatedAt) * refillPerMs);
      bucket.updatedAt = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000)) };
    },
  };
}

/** The rate-limit key of a connecting address: IPv4 as is (also IPv4-mapped IPv6), IPv6 by /64. */
export function clientKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const unzoned = address.split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unzoned);
  if (mapped) return mapped[1]!;
  if (isIPv4(unzoned)) return unzoned;
  if (!isIPv6(unzoned)) return unzoned;
  return `${expandIPv6(unzoned).slice(0, 4).join(':')}::/64`;
}

/** Eight hextets without leading zeros; an embedded IPv4 tail counts as two. */
function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const parts = (s: string | undefined): string[] =>
    (s ?? '').split(':').filter(Boolean).flatMap((p) => {
      if (!p.includes('.')) return [p];
      const [a, b, c, d] = p.split('.').map(Number);
      return [((a! << 8) | b!).toString(16), ((c! << 8) | d!).toString(16)];
    });
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((h) => h.replace(/^0+(?=.)/, ''));
}
