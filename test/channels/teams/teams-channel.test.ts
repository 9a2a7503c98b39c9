// The Teams channel through its real entry point: HTTP → zod check → the Agents SDK's
// CloudAdapter → engine → Adaptive Card → loopback fake Bot Connector. Content checks run
// against the real engine.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildEngine, type Engine } from '../../../src/core/index.ts';
import { TeamsCardMessageSchema, elementsOf } from './adaptive-card-schema.ts';
import { LIMITS, cardOf, fixture, recording, startBot, withHandle, startFakeConnector, withConversation, type FakeConnector, type RecordingEngine, type RunningBot } from './harness.ts';

// A Friday morning in Tokyo: the call center is open.
const NOW = new Date('2026-11-27T10:00:00+09:00');
const BOT_ID = '28:11111111-2222-4333-8444-555555555555';

let realEngine: Engine;
let engine: RecordingEngine;
let connector: FakeConnector;
let bot: RunningBot;

beforeAll(async () => {
  realEngine = await buildEngine({ clock: () => NOW });
});

beforeEach(async () => {
  engine = recording(realEngine);
  connector = await startFakeConnector();
  bot = await startBot({ engine });
});

afterEach(async () => {
  await bot.close();
  await connector.close();
});

afterAll(() => undefined);

const personal = (overrides: Record<string, unknown> = {}) =>
  withConversation(fixture('personal-message', connector.url, overrides), `a:personal-${Math.random().toString(36).slice(2)}`);

describe('anonymous mode', () => {
  it('refuses an activity whose serviceUrl is not loopback with 403 and posts nothing', async () => {
    for (const serviceUrl of ['https://smba.trafficmanager.net/jp/', 'http://localhost.attacker.example/', 'http://10.0.0.5:3978/']) {
      const res = await bot.post(fixture('personal-message', serviceUrl));
      expect(res.status, serviceUrl).toBe(403);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(connector.calls).toEqual([]);
    expect(engine.turns).toEqual([]);
  });

  it('accepts a localhost serviceUrl (the Emulator)', async () => {
    const port = new URL(connector.url).port;
    const res = await bot.post(personal({ serviceUrl: `http://localhost:${port}` }));
    expect(res.status).toBe(200);
    expect(connector.messages()).toHaveLength(1);
  });
});

describe('with credentials', () => {
  it('lets the SDK authenticate: a request without a token gets 401, whatever its serviceUrl', async () => {
    const secured = await startBot({
      engine,
      config: { appId: '11111111-2222-4333-8444-555555555555', appPassword: 'secret', appType: 'MultiTenant', tenantId: undefined, anonymous: false, ...LIMITS },
    });
    try {
      for (const serviceUrl of ['https://smba.trafficmanager.net/jp/', connector.url]) {
        const res = await secured.post(fixture('personal-message', serviceUrl));
        expect(res.status, serviceUrl).toBe(401);
      }
      expect(connector.calls).toEqual([]);
      expect(engine.turns).toEqual([]);
    } finally {
      await secured.close();
    }
  });
});

describe('personal chat', () => {
  it('answers a question with one card, threaded to the activity (a fast turn needs no typing indicator)', async () => {
    const activity = personal();
    const res = await bot.post(activity);
    expect(res.status).toBe(200);

    const conversationId = (activity['conversation'] as { id: string }).id;
    expect(engine.turns).toEqual([{ conversation: `teams:${conversationId}`, text: '年間保守の申し込み方法を教えてください', locale: 'ja' }]);
    const messages = connector.messages();
    expect(messages).toHaveLength(1);
    expect(connector.calls.map((c) => c.body.type)).toEqual(['message']);
    const [message] = messages;
    expect(message!.conversationId).toBe(conversationId);
    expect(message!.replyToId).toBe(activity['id']);
    expect(TeamsCardMessageSchema.safeParse(message!.body).success).toBe(true);

    const [reply] = engine.replies[0]!;
    expect(reply!.intent).toBe('annual_application');
    expect(JSON.stringify(cardOf(message!))).toContain('service.hoshu@se.com');
  });

  it('shows "typing…" while a slow turn runs, without making the answer wait for it', async () => {
    const slow = withHandle(realEngine, async (turn) => {
      await new Promise((r) => setTimeout(r, 400));
      return realEngine.handle(turn);
    });
    const other = await startBot({ engine: slow, typing: { afterMs: 100, intervalMs: 120 } });
    try {
      expect((await other.post(personal())).status).toBe(200);
      const types = connector.calls.map((c) => c.body.type);
      expect(types.filter((t) => t === 'typing').length).toBeGreaterThanOrEqual(2);
      expect(types.at(-1)).toBe('message');
    } finally {
      await other.close();
    }
  });

  it('takes an English locale from the activity', async () => {
    await bot.post(personal({ text: 'What is the phone number of the call center?', locale: 'en-US' }));
    expect(engine.turns[0]!.locale).toBe('en');
    expect(engine.replies[0]![0]!.intent).toBe('contact');
    expect(JSON.stringify(cardOf(connector.messages()[0]!))).toContain('03-4578-4697');
  });
});

describe('channel mentions', () => {
  it('strips every mention of the bot and spoofed <at> markup, and replies in the thread', async () => {
    const activity = fixture('channel-mention', connector.url);
    const res = await bot.post(activity);
    expect(res.status).toBe(200);
    expect(engine.turns[0]!.text).toBe('コールセンターの電話番号を教えて');
    expect(engine.replies[0]![0]!.intent).toBe('contact');

    const [message] = connector.messages();
    expect(message!.conversationId).toBe('19:3c5e7a9b1d3f5h7j9l1n3p5r7t9v1x3z@thread.tacv2;messageid=1764205500000');
    expect(message!.replyToId).toBe(activity['id']);
    expect(JSON.stringify(cardOf(message!))).toContain('03-4578-4697');
  });

  it('removes a second mention of the bot and markup typed to look like one', async () => {
    const mention = { type: 'mention', text: '<at>UPS保守 Bot</at>', mentioned: { id: BOT_ID, name: 'UPS保守 Bot' } };
    await bot.post(
      fixture('channel-mention', connector.url, {
        text: '<at>UPS保守 Bot</at> 電話番号 <at>UPS保守 Bot</at> &lt;at&gt;admin&lt;/at&gt; <at>社長</at>',
        entities: [mention, mention],
      }),
    );
    expect(engine.turns[0]!.text).toBe('電話番号');
  });

  it('takes a button label typed in the thread without a mention as the click', async () => {
    const thread = fixture('channel-mention', connector.url, { text: '<at>UPS保守サポート</at> おすすめの保守サービスを選びたい' });
    await bot.post(thread);
    const offered = engine.replies.at(-1)!.at(-1)!.choices;
    expect(offered.length).toBeGreaterThan(0);
    await bot.post(fixture('channel-mention', connector.url, { text: offered[0]!.label, entities: [] }));
    expect(engine.turns).toHaveLength(2);
    expect(engine.turns[1]).toMatchObject({ choice: offered[0]!.id });
  });

  it('ignores channel messages that do not mention the bot', async () => {
    const res = await bot.post(fixture('channel-mention', connector.url, { text: '<at>山田</at> 今日の会議は?', entities: [] }));
    expect(res.status).toBe(200);
    expect(engine.turns).toEqual([]);
    expect(connector.messages()).toEqual([]);
  });
});

describe('guided recommendation by card clicks', () => {
  it('ends with the right SKU for an owned SMT1500J that cannot stop, no one to swap it, no 24x7', async () => {
    const conversation = `a:recommend-${Date.now()}`;
    const answers = new Set(['timing:owned', 'downtime:minimize', 'self_service:no', 'response_24x7:no', 'years:1']);
    await bot.post(withConversation(fixture('personal-message', connector.url, { text: 'SMT1500Jの保守を選びたい' }), conversation));

    for (let step = 0; step < 8; step++) {
      const last = engine.replies.at(-1)!.at(-1)!;
      if (last.recommendation !== null) break;
      const choice = last.choices.find((c) => answers.has(c.id));
      expect(choice, `no expected choice in ${JSON.stringify(last.choices)}`).toBeDefined();
      // What Teams (and the Agents Playground) send for a plain Action.Submit: the data as value, no text.
      const click = fixture('card-action-submit', connector.url, { value: { choice: choice!.id } });
      const res = await bot.post(withConversation(click, conversation));
      expect(res.status).toBe(200);
    }

    expect(engine.turns.slice(1).every((t) => t.choice !== undefined && t.text === undefined)).toBe(true);
    const final = engine.replies.at(-1)!.find((r) => r.recommendation !== null)!;
    expect(final.recommendation).toMatchObject({ level: 'nbd_onsite', offerings: ['annual'], model: 'SMT1500J' });
    expect(final.skus).toContainEqual({ sku: 'WADVPLNIP-SU-02', model: 'SMT1500J', offering: 'annual', level: 'nbd_onsite', years: 1 });

    const card = cardOf(connector.messages().at(-1)!) as { body: unknown[] };
    const facts = elementsOf(card).filter((e) => e['type'] === 'FactSet').flatMap((e) => e['facts'] as { title: string; value: string }[]);
    expect(facts).toEqual([{ title: 'WADVPLNIP-SU-02', value: '年間保守サービス・翌営業日オンサイト・1年' }]);
    expect(JSON.stringify(card)).toContain('サービス型番（SMT1500J）');
  });

  it('still takes a click on a card posted before, with the old msteams.messageBack payload', async () => {
    const conversation = `a:old-card-${Date.now()}`;
    await bot.post(withConversation(fixture('personal-message', connector.url, { text: 'SMT1500Jの保守を選びたい' }), conversation));
    const offered = engine.replies.at(-1)!.at(-1)!.choices;
    const choice = offered.find((c) => c.id === 'timing:owned') ?? offered[0]!;
    // messageBack: the label as text, the data (with its msteams part) as value.
    const click = fixture('card-submit', connector.url, { text: choice.label, value: { choice: choice.id, msteams: { type: 'messageBack', text: choice.label } } });
    expect((await bot.post(withConversation(click, conversation))).status).toBe(200);
    expect(engine.turns.at(-1)).toMatchObject({ choice: choice.id });
    expect(engine.turns.at(-1)!.text).toBeUndefined();
  });

  it('answers a typed button label (or an imBack) as it answers the click', async () => {
    const start = 'おすすめの保守サービスを選びたい';
    const typed = `a:typed-${Date.now()}`;
    const clicked = `a:clicked-${Date.now()}`;
    await bot.post(withConversation(fixture('personal-message', connector.url, { text: start }), typed));
    const offered = engine.replies.at(-1)!.at(-1)!.choices;
    expect(offered.length).toBeGreaterThan(1);
    // The second button: the first could be the dialog's default next step either way.
    const label = offered[1]!;
    await bot.post(withConversation(fixture('personal-message', connector.url, { text: ` ${label.label} ` }), typed));
    // In a personal chat the label reaches the engine as text, which knows what it offered.
    expect(engine.turns.at(-1)).toMatchObject({ text: label.label });
    const afterTyping = engine.replies.at(-1)!;

    await bot.post(withConversation(fixture('personal-message', connector.url, { text: start }), clicked));
    await bot.post(withConversation(fixture('card-action-submit', connector.url, { value: { choice: label.id } }), clicked));
    expect(engine.turns.at(-1)).toMatchObject({ choice: label.id });
    const afterClick = engine.replies.at(-1)!;
    expect(afterTyping.map((r) => [r.intent, r.text, r.choices])).toEqual(afterClick.map((r) => [r.intent, r.text, r.choices]));
  });
});

describe('welcome', () => {
  it('welcomes once when the bot is added, even if Teams sends the update twice', async () => {
    const update = fixture('conversation-update-bot-added', connector.url);
    expect((await bot.post(update)).status).toBe(200);
    expect((await bot.post({ ...update, id: 'f:again' })).status).toBe(200);
    const messages = connector.messages();
    expect(messages).toHaveLength(1);
    expect(TeamsCardMessageSchema.safeParse(messages[0]!.body).success).toBe(true);
    expect(engine.turns).toEqual([]);
  });

  it('welcomes in English when the locale is English', async () => {
    await bot.post(fixture('conversation-update-bot-added', connector.url, { locale: 'en-US' }));
    const card = cardOf(connector.messages()[0]!) as { body: unknown[] };
    const text = elementsOf(card).filter((e) => e['type'] === 'TextBlock').map((e) => e['text'] as string).join('\n');
    expect(text).not.toMatch(/[ぁ-んァ-ン]/);
  });

  it('does not welcome when someone else joins', async () => {
    await bot.post(fixture('conversation-update-bot-added', connector.url, { membersAdded: [{ id: '29:someone-else' }] }));
    expect(connector.calls).toEqual([]);
  });
});

describe('malformed requests', () => {
  it('answers 4xx for bodies that are not activities, and keeps serving', async () => {
    const good = personal();
    const bad: [string, Awaited<ReturnType<RunningBot['post']>>][] = [
      ['not json', await bot.post('{"type": "message", ', { raw: true })],
      ['plain text', await bot.post('hello', { raw: true, contentType: 'text/plain' })],
      ['empty', await bot.post('', { raw: true })],
      ['array', await bot.post([good])],
      ['missing type', await bot.post({ ...good, type: undefined })],
      ['missing conversation', await bot.post({ ...good, conversation: undefined })],
      ['missing serviceUrl', await bot.post({ ...good, serviceUrl: undefined })],
      ['bad serviceUrl', await bot.post({ ...good, serviceUrl: 'not a url' })],
      ['too large', await bot.post({ ...good, text: 'あ'.repeat(200_000) })],
    ];
    for (const [name, res] of bad) {
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
    }
    expect(connector.calls).toEqual([]);

    expect((await fetch(new URL('/healthz', bot.url))).status).toBe(200);
    expect((await bot.post(good)).status).toBe(200);
    expect(connector.messages()).toHaveLength(1);
  });

  it('works behind a global express.json() as well', async () => {
    const other = await startBot({ engine, globalJson: true });
    try {
      expect((await other.post('{oops', { raw: true })).status).toBe(400);
      expect((await other.post({ type: 'message' })).status).toBe(400);
      expect((await other.post(personal())).status).toBe(200);
      expect(connector.messages()).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('reliability', () => {
  it('retries a 429 from the connector, honouring Retry-After, and sends one reply', async () => {
    connector.failNextMessages(1, 429, { 'retry-after': '0' });
    expect((await bot.post(personal())).status).toBe(200);
    const attempts = connector.calls.filter((c) => c.body.type === 'message');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(connector.messages()).toHaveLength(1);
    expect(bot.logs.some((l) => l.msg === 'Bot Connector call failed; retrying' && l['status'] === 429)).toBe(true);
  });

  it('retries a 503 with back-off and gives up politely after the retries', async () => {
    connector.failNextMessages(2, 503);
    expect((await bot.post(personal())).status).toBe(200);
    expect(connector.messages()).toHaveLength(1);

    connector.failNextMessages(4, 503);
    await bot.post(personal());
    // Four failed attempts at the answer; the apology then goes through.
    expect(connector.calls.filter((c) => c.status === 503)).toHaveLength(6);
    expect(bot.logs.some((l) => l.msg === 'Teams turn failed')).toBe(true);
  });

  it('apologises when a turn fails, and other conversations are unaffected', async () => {
    const failing = withHandle(realEngine, async (turn) => {
      if (turn.conversation.endsWith('broken')) throw new Error('engine exploded');
      return realEngine.handle(turn);
    });
    const other = await startBot({ engine: failing });
    try {
      const [broken, fine] = await Promise.all([
        other.post(withConversation(fixture('personal-message', connector.url), 'a:broken')),
        other.post(withConversation(fixture('personal-message', connector.url), 'a:fine')),
      ]);
      expect(broken.status).toBe(200);
      expect(fine.status).toBe(200);
      const apology = connector.messages().find((m) => m.conversationId === 'a:broken');
      // The apology is a card like any reply: the engine's words and the call-center box.
      expect(TeamsCardMessageSchema.safeParse(apology?.body).success).toBe(true);
      expect(JSON.stringify(apology?.body)).toMatch(/申し訳ありません[\s\S]*tel:/);
      const answer = connector.messages().find((m) => m.conversationId === 'a:fine');
      expect(TeamsCardMessageSchema.safeParse(answer?.body).success).toBe(true);
      expect(other.logs.some((l) => l.msg === 'Teams turn failed')).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('answers a re-delivered activity only once', async () => {
    const activity = personal();
    await bot.post(activity);
    await bot.post(activity);
    expect(connector.messages()).toHaveLength(1);
    expect(engine.turns).toHaveLength(1);
  });
});
