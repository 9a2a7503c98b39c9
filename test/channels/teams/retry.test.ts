import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { retryAfterMs, withRetry, type RetryPolicy } from '../../../src/channels/teams/retry.ts';

const policy: RetryPolicy = { retries: 3, baseDelayMs: 100, maxDelayMs: 5_000 };
const logger = pino({ level: 'silent' });

function failing(errors: unknown[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    call: async () => {
      calls++;
      const err = errors.shift();
      if (err !== undefined) throw err;
      return 'ok';
    },
  };
}

const restError = (statusCode: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`status ${statusCode}`), { statusCode, response: { status: statusCode, headers: new Map(Object.entries(headers)) } });

describe('withRetry', () => {
  it('retries 429 honouring Retry-After seconds, then 503 with exponential back-off', async () => {
    const waits: number[] = [];
    const target = failing([restError(429, { 'retry-after': '2' }), restError(503), restError(502)]);
    await expect(withRetry('send', target.call, policy, { logger, sleep: async (ms) => void waits.push(ms) })).resolves.toBe('ok');
    expect(waits).toEqual([2000, 200, 400]);
    expect(target.calls).toBe(4);
  });

  it('gives up after the configured retries with the last error', async () => {
    const target = failing([restError(500), restError(500), restError(500), restError(500), restError(500)]);
    await expect(withRetry('send', target.call, policy, { logger, sleep: async () => undefined })).rejects.toThrow('status 500');
    expect(target.calls).toBe(4);
  });

  it('does not retry client errors', async () => {
    for (const status of [400, 401, 403, 404, 501]) {
      const target = failing([restError(status)]);
      await expect(withRetry('send', target.call, policy, { logger, sleep: async () => undefined })).rejects.toThrow();
      expect(target.calls).toBe(1);
    }
  });

  it('retries connection errors', async () => {
    const target = failing([Object.assign(new Error('reset'), { code: 'ECONNRESET' })]);
    await expect(withRetry('send', target.call, policy, { logger, sleep: async () => undefined })).resolves.toBe('ok');
    expect(target.calls).toBe(2);
  });

  it('caps a long Retry-After at maxDelayMs', async () => {
    const waits: number[] = [];
    const target = failing([restError(429, { 'retry-after': '3600' })]);
    await withRetry('send', target.call, policy, { logger, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([5_000]);
  });
});

describe('retryAfterMs', () => {
  const now = () => Date.parse('2026-11-27T01:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('1.5', now)).toBe(1500);
    expect(retryAfterMs('Fri, 27 Nov 2026 01:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Fri, 27 Nov 2026 00:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
