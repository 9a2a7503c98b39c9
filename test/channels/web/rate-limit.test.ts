import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/channels/web/rate-limit.ts';

describe('createRateLimiter', () => {
  it('allows a burst of the per-minute budget, then asks to wait until a token is back', () => {
    let now = 0;
    const limiter = createRateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) expect(limiter.take('1.2.3.4')).toEqual({ ok: true });
    expect(limiter.take('1.2.3.4')).toEqual({ ok: false, retryAfterSeconds: 10 });
    now = 10_000;
    expect(limiter.take('1.2.3.4')).toEqual({ ok: true });
    expect(limiter.take('1.2.3.4').ok).toBe(false);
  });

  it('keeps one budget per client', () => {
    const limiter = createRateLimiter(1, () => 0);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
    expect(limiter.take('b').ok).toBe(true);
  });

  it('gives an idle client its whole budget back', () => {
    let now = 0;
    const limiter = createRateLimiter(3, () => now);
    for (let i = 0; i < 3; i++) limiter.take('a');
    now = 120_000;
    for (let i = 0; i < 3; i++) expect(limiter.take('a').ok).toBe(true);
  });
});
