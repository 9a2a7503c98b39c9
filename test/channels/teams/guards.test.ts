// What /api/messages refuses before the engine runs, and how it stays bounded when the Bot
// Connector misbehaves: content type, callers off this machine in anonymous mode, a per-caller
// rate limit, a cap on activities in flight, connector timeouts and an abort at stop().
import { networkInterfaces } from 'node:os';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildEngine, type Engine } from '../../../src/core/index.ts';
import { ANONYMOUS, fixture, recording, startBot, startFakeConnector, startHangingConnector, withConversation, type FakeConnector, type RecordingEngine, type RunningBot } from './harness.ts';

const NOW = new Date('2026-11-27T10:00:00+09:00');

let realEngine: Engine;
let engine: RecordingEngine;
let connector: FakeConnector;
const started: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  realEngine = await buildEngine({ clock: () => NOW });
});

beforeEach(async () => {
  engine = recording(realEngine);
  connector = await startFakeConnector();
  started.push(connector);
});

afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.close();
});

async function bot(options: Partial<Parameters<typeof startBot>[0]> = {}): Promise<RunningBot> {
  const running = await startBot({ engine, ...options });
  started.push(running);
  return running;
}

const personal = (serviceUrl = connector.url) =>
  withConversation(fixture('personal-message', serviceUrl), `a:guard-${Math.random().toString(36).slice(2)}`);

/** An address of this machine that is not loopback, if it has one. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && !a.internal && a.family === 'IPv4')?.address;

describe('content type', () => {
  it('answers 415 to anything but application/json, which a web page could send cross-site, and posts nothing', async () => {
    const running = await bot();
    const body = JSON.stringify(personal());
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
      const res = await running.post(body, { raw: true, contentType });
      expect(res.status, String(contentType)).toBe(415);
      expect(await res.json()).toEqual({ error: { code: 'unsupported_media_type', message: expect.any(String) } });
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(connector.calls).toEqual([]);
    expect(engine.turns).toEqual([]);
    expect((await running.post(personal(), { contentType: 'application/json; charset=utf-8' })).status).toBe(200);
    expect(connector.messages()).toHaveLength(1);
  });
});

describe('anonymous mode serves this machine only', () => {
  it.skipIf(lanAddress === undefined)('refuses a caller reaching the server through a LAN address with 403', async () => {
    const running = await bot({ host: '0.0.0.0' });
    const port = new URL(running.url).port;
    const res = await running.postFrom(lanAddress!, personal(), `http://${lanAddress}:${port}/`);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'caller_not_allowed' } });
    expect(engine.turns).toEqual([]);
    expect(connector.calls).toEqual([]);
    // The same server still answers this machine.
    expect((await running.post(personal())).status).toBe(200);
  });

  it('refuses any non-loopback peer address (injected), whatever the serviceUrl', async () => {
    let peer = '192.0.2.77';
    const running = await bot({ remoteAddressOf: () => peer });
    for (const address of ['192.0.2.77', '::ffff:10.1.2.3', 'fd00::5', '0.0.0.0']) {
      peer = address;
      expect((await running.post(personal())).status, address).toBe(403);
    }
    expect(connector.calls).toEqual([]);
    peer = '::ffff:127.0.0.1';
    expect((await running.post(personal())).status).toBe(200);
  });
});

describe('per-caller rate limit', () => {
  it('limits a flood from one caller with 429 and Retry-After while another caller is answered', async () => {
    const running = await bot({ config: { ...ANONYMOUS, rateLimitPerMinute: 5 } });
    const flood: number[] = [];
    for (let i = 0; i < 12; i++) flood.push((await running.postFrom('127.0.0.2', personal())).status);
    expect(flood.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(flood.slice(5).every((s) => s === 429)).toBe(true);
    const limited = await running.postFrom('127.0.0.2', personal());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: 'rate_limited' } });

    const other = await running.postFrom('127.0.0.3', personal());
    expect(other.status).toBe(200);
    expect(connector.messages()).toHaveLength(6);
    // One summary line, not one per refused request.
    expect(running.logs.filter((l) => l.msg?.includes('rate limit')).length).toBe(1);
  });
});

describe('a Bot Connector that never answers', () => {
  it('ends the turn by its deadline: the answer times out, the apology too, the request gets its 200', async () => {
    const hanging = await startHangingConnector();
    started.push(hanging);
    // Room for the apology after the answer's timeout, even on a busy machine.
    const running = await bot({ config: { ...ANONYMOUS, connectorTimeoutMs: 300, turnTimeoutMs: 2_000 } });
    const t0 = performance.now();
    const res = await running.post(personal(hanging.url));
    const elapsed = performance.now() - t0;
    expect(res.status).toBe(200);
    // Two calls given up after 300 ms each, well before the turn's own deadline.
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(5_000);
    // The answer and the apology were both attempted, and both connections were given up.
    expect(hanging.received()).toBe(2);
    await new Promise((r) => setTimeout(r, 50));
    expect(hanging.abandoned()).toBe(2);
    expect(running.logs.some((l) => l.msg === 'Teams turn failed')).toBe(true);
  });

  it('refuses activities beyond the in-flight cap with 503 and Retry-After, logging once', async () => {
    const hanging = await startHangingConnector();
    started.push(hanging);
    const running = await bot({ config: { ...ANONYMOUS, maxInFlight: 3, connectorTimeoutMs: 5_000, turnTimeoutMs: 8_000 } });
    const pending = Array.from({ length: 3 }, () => running.post(personal(hanging.url)));
    await until(() => hanging.received() === 3);
    const refused = await Promise.all(Array.from({ length: 5 }, () => running.post(personal(hanging.url))));
    expect(refused.map((r) => r.status)).toEqual([503, 503, 503, 503, 503]);
    expect(refused[0]!.headers.get('retry-after')).toBe('5');
    expect(await refused[0]!.json()).toMatchObject({ error: { code: 'busy' } });
    expect(running.logs.filter((l) => l.msg?.includes('too many in flight')).length).toBe(1);
    // /healthz is not held up by the stuck turns.
    expect((await fetch(new URL('/healthz', running.url))).status).toBe(200);

    // stop() aborts the connector calls in flight at once instead of waiting for their timeouts.
    const t0 = performance.now();
    await running.channel.stop();
    expect(performance.now() - t0).toBeLessThan(2_000);
    const statuses = (await Promise.all(pending)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await running.post(personal())).status).toBe(503);
  });
});

describe('NODE_ENV=production without credentials', () => {
  it('keeps the Teams channel off with 503 and a warning, as the Agents SDK refuses anonymous mode there', async () => {
    const previous = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    let running: RunningBot;
    try {
      running = await bot();
    } finally {
      process.env['NODE_ENV'] = previous;
    }
    const res = await running.post(personal());
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'teams_unavailable' } });
    expect(running.logs.some((l) => l.level === 40 && l.msg?.startsWith('Teams channel off: NODE_ENV=production needs credentials'))).toBe(true);
    expect(connector.calls).toEqual([]);
  });
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (const start = Date.now(); !check(); ) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
