import type { Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../src/channels/channel.ts';
import { createLogger } from '../src/logger.ts';
import { createServer, type Server } from '../src/server.ts';

const logger = createLogger('silent');
let server: Server | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: { isReady?: () => boolean | Promise<boolean>; channels?: Channel[] } = {}): Promise<URL> {
  server = createServer({
    config: { port: 0, host: '127.0.0.1' },
    channels: options.channels ?? [],
    logger,
    isReady: options.isReady ?? (() => true),
  });
  return server.listen();
}

function slowChannel(delayMs: number, events: string[]): Channel {
  return {
    name: 'web',
    mount(app: Express) {
      app.get('/slow', async (_req, res) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        events.push('request finished');
        res.json({ done: true });
      });
    },
    async stop() {
      events.push('channel stopped');
    },
  };
}

describe('server', () => {
  it('answers the liveness probe', async () => {
    const url = await start();
    const res = await fetch(new URL('/healthz', url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is not ready until the injected readiness check says so', async () => {
    let ready = false;
    const url = await start({ isReady: async () => ready });
    const before = await fetch(new URL('/readyz', url));
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'starting' });
    ready = true;
    const after = await fetch(new URL('/readyz', url));
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready' });
  });

  it('reports not ready when the readiness check throws (e.g. the store is down)', async () => {
    const url = await start({
      isReady: () => {
        throw new Error('redis down');
      },
    });
    expect((await fetch(new URL('/readyz', url))).status).toBe(503);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const url = await start();
    const res = await fetch(new URL('/no/such/page', url), { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for POST /no/such/page' } });
  });

  it('sends security headers on every response', async () => {
    const url = await start();
    const res = await fetch(new URL('/healthz', url));
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('finishes in-flight requests on close, then stops the channels', async () => {
    const events: string[] = [];
    const url = await start({ channels: [slowChannel(300, events)] });
    const inFlight = fetch(new URL('/slow', url));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server!.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    await closed;
    server = undefined;
    expect(events).toEqual(['request finished', 'channel stopped']);
    await expect(fetch(new URL('/healthz', url))).rejects.toThrow();
  });
});
