// Bad input at every boundary, one matrix per channel, through the real entry points and the
// real engine: each case gets an exact 4xx or a polite reply, never a 5xx or a stack trace.
// (Cases already covered in test/channels/* are not repeated here.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebChannel } from '../../src/channels/web/index.ts';
import { buildEngine, type Engine } from '../../src/core/index.ts';
import { ReplySchema } from '../../src/core/reply.ts';
import { createLogger } from '../../src/logger.ts';
import { createServer, type Server } from '../../src/server.ts';
import { waitFor } from '../channels/slack/fake-slack.ts';
import { click, directMessage, json, startHarness, type Harness } from '../channels/slack/harness.ts';
import { cardOf, fixture, recording, startBot, startFakeConnector, withConversation, type FakeConnector, type RecordingEngine, type RunningBot } from '../channels/teams/harness.ts';

const NOW = new Date('2026-11-27T10:00:00+09:00');
const TRUNCATED = /先頭の部分だけを読みました|read only the first part/;
const INVALID_CHOICE = /その選択肢は今は使えません|no longer available/;
const STACK_FRAME = /\bat .+:\d+:\d+/;

let engine: Engine;
beforeAll(async () => {
  engine = await buildEngine({ clock: () => NOW });
});

// ---------------------------------------------------------------------------- web chat

describe('web chat: bad input', () => {
  let server: Server;
  let url: URL;
  beforeAll(async () => {
    const logger = createLogger('silent');
    const web = createWebChannel({ config: { webRateLimitPerMinute: 10_000, logUserText: false }, engine, logger });
    server = createServer({ config: { port: 0, host: '127.0.0.1' }, channels: [web], logger, isReady: () => true });
    url = await server.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  let n = 0;
  const conversation = () => `badinput${String(++n).padStart(4, '0')}`;
  const post = (body: string, contentType: string | null = 'application/json') =>
    fetch(new URL('/api/chat', url), { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });

  it.each([
    ['JSON null', 'null', 'application/json', 400, 'invalid_json'],
    ['a JSON array', '[]', 'application/json', 400, 'invalid_request'],
    ['a JSON string', '"hello"', 'application/json', 400, 'invalid_json'],
    ['text that is a number', JSON.stringify({ conversation: 'badinput-num', text: 42 }), 'application/json', 400, 'invalid_request'],
    ['both text and choice', JSON.stringify({ conversation: 'badinput-both', text: 'a', choice: 'intent:help' }), 'application/json', 400, 'invalid_request'],
    ['an unknown locale', JSON.stringify({ conversation: 'badinput-loc', text: 'a', locale: 'fr' }), 'application/json', 400, 'invalid_request'],
    ['a choice id over 100 characters', JSON.stringify({ conversation: 'badinput-long', choice: `intent:${'x'.repeat(200)}` }), 'application/json', 400, 'invalid_request'],
    ['no content type', JSON.stringify({ conversation: 'badinput-ct', text: 'a' }), null, 415, 'unsupported_media_type'],
    ['a form body', 'conversation=badinput-form&text=hi', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
    ['an unsupported charset', JSON.stringify({ conversation: 'badinput-cs', text: 'a' }), 'application/json; charset=x-klingon', 415, 'unsupported_media_type'],
    ['a charset JSON cannot have', JSON.stringify({ conversation: 'badinput-l1', text: 'a' }), 'application/json; charset=latin1', 415, 'unsupported_media_type'],
    ['20 KB of text', JSON.stringify({ conversation: 'badinput-big', text: 'x'.repeat(20_000) }), 'application/json', 413, 'payload_too_large'],
  ])('%s → %s %s', async (_name, body, contentType, status, code) => {
    const res = await post(body, contentType);
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).not.toMatch(STACK_FRAME);
    expect(JSON.parse(text)).toMatchObject({ error: { code } });
  });

  it('cuts a long message (over the engine’s 1 000 characters, under the 16 KB body cap) with a note', async () => {
    const res = await post(JSON.stringify({ conversation: conversation(), text: `無償保証について${'あ'.repeat(4000)}` }));
    expect(res.status).toBe(200);
    const { replies } = (await res.json()) as { replies: { text: string }[] };
    expect(replies[0]!.text).toMatch(TRUNCATED);
  });

  it('drops control characters: a message of nothing else gets the welcome menu', async () => {
    const res = await post(JSON.stringify({ conversation: conversation(), text: '\u0000\u0001\u0007\u001b\u007f' }));
    expect(res.status).toBe(200);
    const { replies } = (await res.json()) as { replies: { intent: string; choices: unknown[] }[] };
    expect(replies[0]).toMatchObject({ intent: 'greeting' });
    expect(replies[0]!.choices.length).toBeGreaterThan(0);
  });

  it.each(['years:99', 'downtime:sometimes', 'slot:value', 'intent:__proto__', '::', 'model:SMT1500J', 'timing:', ':owned'])('refuses the forged choice %s politely (200, offered buttons again)', async (choice) => {
    const id = conversation();
    await post(JSON.stringify({ conversation: id, text: 'こんにちは' }));
    const res = await post(JSON.stringify({ conversation: id, choice }));
    expect(res.status).toBe(200);
    const { replies } = (await res.json()) as { replies: { text: string; intent: string; skus: unknown[] }[] };
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ intent: 'help', skus: [] });
    expect(replies[0]!.text).toMatch(INVALID_CHOICE);
  });

  it('ignores unknown fields, __proto__ included, and very deep JSON', async () => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const res = await post(`{"conversation":"${conversation()}","text":"hello","__proto__":{"polluted":true},"extra":${deep}}`);
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------- Teams

describe('Teams: bad input', () => {
  let connector: FakeConnector;
  let bot: RunningBot;
  let recorder: RecordingEngine;
  beforeAll(async () => {
    recorder = recording(engine);
    connector = await startFakeConnector();
    bot = await startBot({ engine: recorder });
  });
  afterAll(async () => {
    await bot.close();
    await connector.close();
  });

  let n = 0;
  const personal = (overrides: Record<string, unknown> = {}) => withConversation(fixture('personal-message', connector.url, overrides), `a:badinput-${++n}`);
  const lastCardText = () => JSON.stringify(cardOf(connector.messages().at(-1)!));

  it.each([
    ['JSON null', 'null', 400, 'invalid_json'],
    ['text that is a number', { text: 42 }, 400, 'invalid_activity'],
    ['text over 40 000 characters', { text: 'a'.repeat(40_001) }, 400, 'invalid_activity'],
    ['more than 100 entities', { entities: Array.from({ length: 101 }, () => ({ type: 'clientInfo' })) }, 400, 'invalid_activity'],
    ['a conversation without an id', { conversation: {} }, 400, 'invalid_activity'],
  ])('%s → %s %s, nothing sent', async (_name, body, status, code) => {
    const before = connector.calls.length;
    const res = typeof body === 'string' ? await bot.post(body, { raw: true }) : await bot.post({ ...personal(), ...body });
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).not.toMatch(STACK_FRAME);
    expect(JSON.parse(text)).toMatchObject({ error: { code } });
    expect(connector.calls.length).toBe(before);
  });

  it('cuts a 30 000-character message with a note', async () => {
    expect((await bot.post(personal({ text: `保守の相談です ${'あ'.repeat(30_000)}` }))).status).toBe(200);
    expect(lastCardText()).toMatch(TRUNCATED);
  });

  it('answers a message of control characters and zero-width marks with the welcome', async () => {
    expect((await bot.post(personal({ text: '\u0000\u0007\u200b\ufeff' }))).status).toBe(200);
    expect(recorder.turns.at(-1)).toMatchObject({ text: expect.any(String) });
    expect(connector.messages().length).toBeGreaterThan(0);
  });

  it('refuses a forged card value politely', async () => {
    const res = await bot.post(personal({ text: undefined, value: { choice: 'years:99' } }));
    expect(res.status).toBe(200);
    expect(recorder.turns.at(-1)).toMatchObject({ choice: 'years:99' });
    expect(lastCardText()).toMatch(INVALID_CHOICE);
  });

  it('treats a card value that is not an object, or an oversized choice, as no click', async () => {
    expect((await bot.post(personal({ text: 'こんにちは', value: 'intent:help' }))).status).toBe(200);
    expect(recorder.turns.at(-1)).toEqual(expect.objectContaining({ text: 'こんにちは' }));
    expect((await bot.post(personal({ text: 'こんにちは', value: { choice: 'x'.repeat(500) } }))).status).toBe(200);
    expect(recorder.turns.at(-1)!.choice).toBeUndefined();
  });

  it('answers an activity type it does not handle with 200 and sends nothing', async () => {
    const before = connector.calls.length;
    const res = await bot.post(personal({ type: 'messageReaction', text: undefined }));
    expect(res.status).toBe(200);
    expect(connector.calls.length).toBe(before);
  });

  it('keeps entity-escaped <at> markup out of the text the engine sees', async () => {
    await bot.post(personal({ text: '&lt;at&gt;UPS Bot&lt;/at&gt; 保守 &amp;lt;at&amp;gt;x&amp;lt;/at&amp;gt;' }));
    expect(recorder.turns.at(-1)!.text).not.toMatch(/<\/?at\b/i);
  });
});

// ---------------------------------------------------------------------------- Slack

describe('Slack: bad input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
  });
  afterAll(async () => {
    await h.close();
  });

  const FORM = 'application/x-www-form-urlencoded' as const;

  it.each([
    ['JSON null', 'null', 'application/json', 400],
    ['a JSON array', '[{"type":"event_callback"}]', 'application/json', 400],
    ['a JSON string', '"event_callback"', 'application/json', 400],
    ['malformed JSON', '{"type": "event_callback", ', 'application/json', 400],
    ['a form without payload or command', 'foo=bar', FORM, 400],
    ['a form whose payload is not JSON', 'payload=%7Bnot', FORM, 400],
    ['a form whose payload is JSON null', 'payload=null', FORM, 400],
  ])('signed %s → %s, nothing answered', async (_name, body, contentType, status) => {
    const res = await h.post(body, { contentType: contentType as 'application/json' });
    expect(res.status).toBe(status);
    expect(await res.text()).not.toMatch(STACK_FRAME);
  });

  it('refuses a body over 4 MB with 413 before checking anything else', async () => {
    const res = await h.post(JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(4 * 1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('acknowledges an event with missing fields and answers nothing', async () => {
    h.fake.reset();
    const res = await h.post(JSON.stringify({ type: 'event_callback', team_id: 'T0TEAM001', event_id: 'Ev0BADINPUT1', event: { type: 'message' } }));
    expect(res.status).toBe(200);
    await new Promise((done) => setTimeout(done, 200));
    expect(h.fake.ok('chat.postMessage')).toHaveLength(0);
  });

  it('cuts a 5 000-character DM with a note', async () => {
    h.fake.reset();
    expect((await h.post(json(directMessage(`保守の相談です ${'あ'.repeat(5000)}`, 'U0LONG001')))).status).toBe(200);
    const [post] = await waitFor(() => h.fake.ok('chat.postMessage').length > 0 && h.fake.ok('chat.postMessage'), 'the answer');
    expect(JSON.stringify(post!.body.blocks)).toMatch(TRUNCATED);
  });

  it('strips Slack special syntax and control characters before the engine', async () => {
    const before = h.engineCalls.length;
    const text = '<!here> <!date^1392734382^{date}|Feb 18> <@U0ALICE01> 保守\u0007 <#C0GENERAL1|general> <tel:0345784697|電話> <mailto:a@example.com|mail> &lt;!channel&gt;';
    await h.post(json(directMessage(text, 'U0SYNTAX1')));
    await waitFor(() => h.engineCalls.length > before, 'the turn');
    const seen = h.engineCalls.at(-1)!.turn.text!;
    expect(seen).not.toMatch(/<[!@#]/);
    expect(seen).toContain('#general');
    for (const reply of h.engineCalls.at(-1)!.replies) expect(ReplySchema.safeParse(reply).success).toBe(true);
  });

  it('refuses a forged button value politely', async () => {
    h.fake.reset();
    const message = { channel: 'D0ALICE001', ts: '1764159999.000100', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'old' } }], text: 'old' };
    const button = { action_id: 'ups_choice_0', text: { type: 'plain_text', text: '7年' }, value: 'years:99' };
    const res = await h.post(click(message, button, h.fake.responseUrl('forged')), { contentType: FORM });
    expect(res.status).toBe(200);
    const call = await waitFor(() => h.engineCalls.find((c) => c.turn.choice === 'years:99'), 'the choice turn');
    expect(call.replies[0]!.text).toMatch(INVALID_CHOICE);
    await waitFor(() => h.fake.ok('chat.postMessage').some((p) => INVALID_CHOICE.test(JSON.stringify(p.body.blocks))), 'the refusal posted');
  });
});
