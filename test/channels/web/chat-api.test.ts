import { afterEach, describe, expect, it } from 'vitest';
import { createWebChannel } from '../../../src/channels/web/index.ts';
import type { Engine } from '../../../src/core/engine.ts';
import { ReplySchema, type Reply } from '../../../src/core/reply.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { createLogger } from '../../../src/logger.ts';
import { MemoryStore } from '../../../src/core/store/memory-store.ts';
import type { KeyValueStore } from '../../../src/core/store/store.ts';
import { createServer, type Server } from '../../../src/server.ts';

const logger = createLogger('silent');
const CONVERSATION = 'c0ffee00c0ffee00';

function reply(text: string, overrides: Partial<Reply> = {}): Reply {
  return { text, intent: 'help', confidence: 1, choices: [], skus: [], recommendation: null, handoff: null, links: [], ...overrides };
}

class FakeEngine implements Engine {
  readonly turns: Turn[] = [];
  handle = async (turn: Turn): Promise<Reply[]> => {
    this.turns.push(turn);
    if (turn.text === 'boom') throw new Error('engine exploded');
    if (turn.text === 'slow') await new Promise((resolve) => setTimeout(resolve, 200));
    return [reply(`echo ${turn.text ?? turn.choice}`, { choices: [{ id: 'downtime:minimize', label: '止められない' }] })];
  };
  welcome = (lang: 'ja' | 'en'): Reply => reply(lang === 'ja' ? 'こんにちは' : 'Hello');
  failureReply = (lang: 'ja' | 'en'): Reply => reply(lang === 'ja' ? '申し訳ありません' : 'Sorry');
}

let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(engine: Engine, webRateLimitPerMinute = 100, webNewConversationsPerHour = 100, store?: KeyValueStore): Promise<URL> {
  const channel = createWebChannel({ config: { webRateLimitPerMinute, webNewConversationsPerHour, logUserText: false }, engine, logger, ...(store ? { store } : {}) });
  server = createServer({ config: { port: 0, host: '127.0.0.1' }, channels: [channel], logger, isReady: () => true });
  return server.listen();
}

function post(url: URL, body: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(new URL('/api/chat', url), {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function expectJsonError(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const text = await res.text();
  expect(text).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames
  expect(JSON.parse(text)).toMatchObject({ error: { code, message: expect.any(String) } });
}

describe('web chat API', () => {
  it('runs a text turn through the engine under a web: conversation key the server issued', async () => {
    const engine = new FakeEngine();
    const url = await start(engine);
    const res = await post(url, { text: ' 無償保証で何が受けられますか ', locale: 'ja' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ conversation: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), lang: 'ja' });
    expect(engine.turns[0]).toEqual({ conversation: `web:${body.conversation}`, text: '無償保証で何が受けられますか', choice: undefined, locale: 'ja' });
    for (const { display, ...contract } of body.replies) {
      expect(ReplySchema.safeParse(contract).success).toBe(true);
      expect(display).toEqual({ skuTable: null, handoff: null });
    }
  });

  it('answers in English when the user writes English, whatever the browser locale', async () => {
    const engine = new FakeEngine();
    const url = await start(engine);
    const body = await (await post(url, { conversation: CONVERSATION, text: 'What does the free warranty cover?', locale: 'ja' })).json();
    expect(body.lang).toBe('en');
    expect(engine.turns[0]?.locale).toBe('en');
  });

  it('passes a clicked choice to the engine', async () => {
    const engine = new FakeEngine();
    const url = await start(engine);
    const res = await post(url, { conversation: CONVERSATION, choice: 'downtime:minimize', locale: 'en' });
    expect(res.status).toBe(200);
    expect(engine.turns[0]).toMatchObject({ choice: 'downtime:minimize', locale: 'en' });
  });

  it('serves the welcome in the requested language', async () => {
    const url = await start(new FakeEngine());
    const body = await (await fetch(new URL('/api/chat/welcome?locale=en', url))).json();
    expect(body).toMatchObject({ lang: 'en', replies: [{ text: 'Hello' }] });
    const fallback = await (await fetch(new URL('/api/chat/welcome?locale=xx', url))).json();
    expect(fallback.lang).toBe('ja');
  });

  it('serves the page with a same-origin-only content security policy', async () => {
    const url = await start(new FakeEngine());
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<script type="module" src="app.js">');
  });

  it('rejects a body over 16 KB with 413', async () => {
    const url = await start(new FakeEngine());
    await expectJsonError(await post(url, { conversation: CONVERSATION, text: 'あ'.repeat(6000) }), 413, 'payload_too_large');
  });

  it('rejects malformed JSON with 400', async () => {
    const url = await start(new FakeEngine());
    await expectJsonError(await post(url, '{"conversation": "c0ffee00c0ffee00", "text": '), 400, 'invalid_json');
  });

  it('rejects a request without text or choice, naming the problem', async () => {
    const url = await start(new FakeEngine());
    const res = await post(url, { conversation: CONVERSATION });
    await expectJsonError(res.clone(), 400, 'invalid_request');
    expect((await res.json()).error.message).toMatch(/text or choice/);
  });

  it('rejects a conversation id that could name another channel', async () => {
    const url = await start(new FakeEngine());
    const res = await post(url, { conversation: 'slack:T1:C1:1700000000.0001', text: 'hi' });
    await expectJsonError(res.clone(), 400, 'invalid_request');
    expect((await res.json()).error.message).toMatch(/^conversation:/);
  });

  it('rejects other content types with 415', async () => {
    const url = await start(new FakeEngine());
    await expectJsonError(await post(url, 'conversation=x&text=y', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
  });

  it('limits turns per client with 429 and Retry-After', async () => {
    const url = await start(new FakeEngine(), 2);
    expect((await post(url, { conversation: CONVERSATION, text: 'a' })).status).toBe(200);
    expect((await post(url, { conversation: CONVERSATION, text: 'b' })).status).toBe(200);
    const limited = await post(url, { conversation: CONVERSATION, text: 'c' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expectJsonError(limited, 429, 'rate_limited');
  });

  it('answers 500 JSON when the engine fails, and keeps serving', async () => {
    const url = await start(new FakeEngine());
    await expectJsonError(await post(url, { conversation: CONVERSATION, text: 'boom' }), 500, 'turn_failed');
    expect((await post(url, { conversation: CONVERSATION, text: 'again' })).status).toBe(200);
  });

  it('finishes an in-flight turn when the server closes', async () => {
    const engine = new FakeEngine();
    const url = await start(engine);
    const inFlight = post(url, { conversation: CONVERSATION, text: 'slow' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([server!.close(), inFlight.then((res) => expect(res.status).toBe(200))]);
    server = undefined;
  });

  it('issues conversation ids itself and honours only those', async () => {
    const engine = new FakeEngine();
    const url = await start(engine);
    const first = await (await post(url, { text: 'こんにちは' })).json();
    const second = await (await post(url, { text: 'こんにちは' })).json();
    expect(first.conversation).not.toBe(second.conversation);
    // At least 128 random bits: 32 base64url characters carry 192.
    expect(Buffer.from(first.conversation, 'base64url').length).toBeGreaterThanOrEqual(16);

    // The issued id continues its conversation.
    const again = await (await post(url, { conversation: first.conversation, text: 'つづき' })).json();
    expect(again.conversation).toBe(first.conversation);
    expect(engine.turns[2]?.conversation).toBe(`web:${first.conversation}`);

    // An id the server never issued (a guess, or someone else's old id) opens a new conversation instead.
    const chosen = await (await post(url, { conversation: CONVERSATION, text: '担当者と話したい' })).json();
    expect(chosen.conversation).not.toBe(CONVERSATION);
    expect(engine.turns.map((t) => t.conversation)).not.toContain(`web:${CONVERSATION}`);
  });

  it('rations new conversations per client with 429, and turns in known ones go on', async () => {
    const url = await start(new FakeEngine(), 100, 2);
    const a = await (await post(url, { text: 'a' })).json();
    expect((await post(url, { text: 'b' })).status).toBe(200);
    const third = await post(url, { text: 'c' });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expectJsonError(third, 429, 'rate_limited');
    expect((await post(url, { conversation: a.conversation, text: 'd' })).status).toBe(200);
  });

  it('refuses a newcomer politely when the web budget is full, without dropping anyone', async () => {
    const store = new MemoryStore(Date.now, { budgets: [{ name: 'web', prefixes: ['web:session:'], maxEntries: 2 }] });
    const engine = new FakeEngine();
    const url = await start(engine, 100, 100, store);
    const a = await (await post(url, { text: 'a' })).json();
    const b = await (await post(url, { text: 'b' })).json();
    const refused = await post(url, { text: 'c' });
    expect(refused.status).toBe(200);
    expect(await refused.json()).toMatchObject({ conversation: null, replies: [{ text: '申し訳ありません' }] });
    expect(engine.turns).toHaveLength(2);
    for (const earlier of [a, b]) expect((await (await post(url, { conversation: earlier.conversation, text: 'x' })).json()).conversation).toBe(earlier.conversation);
  });

  it('logs a hash of the conversation id, never the id', async () => {
    let lines = '';
    const capture = createLogger('debug', { destination: { write: (line: string) => void (lines += line) } });
    const channel = createWebChannel({ config: { webRateLimitPerMinute: 100, logUserText: false }, engine: new FakeEngine(), logger: capture });
    server = createServer({ config: { port: 0, host: '127.0.0.1' }, channels: [channel], logger: capture, isReady: () => true });
    const url = await server.listen();
    const { conversation } = await (await post(url, { text: 'a' })).json();
    await post(url, { conversation, text: 'b' });
    expect(lines).toMatch(/"conversation":"web:/);
    expect(lines).not.toContain(conversation);
  });
});
