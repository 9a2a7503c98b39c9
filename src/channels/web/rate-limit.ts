// Per-client token bucket for the web chat: bursts up to the per-minute budget, refilled
// evenly, so a user typing fast is fine and a script hammering the engine is slowed down.
// In memory, so the budget is per instance.

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const refillPerMs = perMinute / 60_000;
  let sweepAt = 0;

  // A bucket untouched for a minute is full again, so forgetting it changes nothing.
  const sweep = (t: number): void => {
    if (t < sweepAt) return;
    sweepAt = t + 60_000;
    for (const [key, bucket] of buckets) if (t - bucket.updatedAt >= 60_000) buckets.delete(key);
  };

  return {
    take(key) {
      const t = now();
      sweep(t);
      const bucket = buckets.get(key) ?? { tokens: perMinute, updatedAt: t };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.updatedAt) * refillPerMs);
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
