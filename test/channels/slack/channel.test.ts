// createSlackChannel's lifecycle by mode: HTTP mounts POST /slack/events on the shared
// server; Socket Mode mounts nothing (it connects out on start()).
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createSlackChannel } from '../../../src/channels/slack/index.ts';
import type { Engine } from '../../../src/core/engine.ts';
import { MemoryStore } from '../../../src/core/store/memory-store.ts';
import { createServer } from '../../../src/server.ts';

const engine: Engine = {
  handle: async () => ({ lang: 'ja', replies: [] }),
  welcome: () => ({ text: 'hi', intent: 'greeting', confidence: 1, choices: [], skus: [], recommendation: null, handoff: null, links: [] }),
  failureReply: () => ({ text: 'sorry', intent: 'human_handoff', confidence: 1, choices: [], skus: [], recommendation: null, handoff: null, links: [] }),
};
const logger = pino({ level: 'silent' });

async function statusOfSlackEndpoint(mode: 'http' | 'socket'): Promise<number> {
  const channel = createSlackChannel({
    config:
      mode === 'http'
        ? { mode, signingSecret: 'secret', botToken: 'xoxb-test', appToken: undefined, apiUrl: 'http://127.0.0.1:9/api' }
        : { mode, signingSecret: undefined, botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: 'http://127.0.0.1:9/api' },
    engine,
    logger,
    store: new MemoryStore(),
  });
  expect(channel.name).toBe('slack');
  const server = createServer({ config: { port: 0, host: '127.0.0.1' }, channels: [channel], logger, isReady: () => true });
  const base = await server.listen();
  try {
    const res = await fetch(new URL('/slack/events', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return res.status;
  } finally {
    // stop() without start() must be fine (the server calls it on close).
    await server.close();
  }
}

describe('createSlackChannel', () => {
  it('HTTP mode mounts POST /slack/events behind Bolt’s signature check', async () => {
    expect(await statusOfSlackEndpoint('http')).toBe(401);
  });

  it('Socket Mode mounts no route and does not connect before start()', async () => {
    expect(await statusOfSlackEndpoint('socket')).toBe(404);
  });
});
