import { describe, expect, it } from 'vitest';
import { clientKey, createRateLimiter } from '../../../src/channels/web/rate-limit.ts';

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

describe('clientKey', () => {
  it('groups IPv6 addresses by /64, whatever their spelling', () => {
    const key = clientKey('2001:db8:1:2::1');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(key);
    expect(clientKey('2001:0db8:0001:0002:0000:0000:0000:0042')).toBe(key);
    expect(clientKey('2001:db8:1:2::1%eth0')).toBe(key);
    expect(clientKey('2001:db8:1:3::1')).not.toBe(key);
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });

  it('keeps IPv4 addresses apart, also when mapped into IPv6', () => {
    expect(clientKey('192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('192.0.2.2')).not.toBe(clientKey('192.0.2.1'));
  });

  it('shares one budget across a /64', () => {
    const limiter = createRateLimiter(2, () => 0);
    expect(limiter.take(clientKey('2001:db8::1')).ok).toBe(true);
    expect(limiter.take(clientKey('2001:db8::2')).ok).toBe(true);
    expect(limiter.take(clientKey('2001:db8::3')).ok).toBe(false);
  });
});
