// Transport behaviour that needs a scripted engine: a slow engine (ack first), a failing
// engine (polite message, channel keeps working), a very long answer (valid Block Kit),
// ephemeral and App Home clicks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/core/engine.ts';
import { ReplySchema, type Reply } from '../../../src/core/reply.ts';
import { fixture, fixtureText, waitFor } from './fake-slack.ts';
import { directMessage, json, mention, nextEventId, nextTriggerId, slashCommand, startHarness, type Harness } from './harness.ts';

function reply(text: string, extra: Partial<Reply> = {}): Reply {
  return ReplySchema.parse({ text, intent: 'help', confidence: 1, choices: [], skus: [], recommendation: null, handoff: null, links: [], ...extra });
}

const LONG = `${'年間保守サービスは、UPSとバッテリーの管理と故障対応の手間を減らすためのサービスです。'.repeat(60)}\n\n${'詳しくはコールセンターへ。'.repeat(100)}`;
const MENU = [
  { id: 'intent:recommend_service', label: 'おすすめの保守を選ぶ' },
  { id: 'intent:contact', label: '問い合わせ先' },
];

const scripted: Engine = {
  async handle(turn) {
    if (turn.text === 'slow') await new Promise((resolve) => setTimeout(resolve, 1500));
    if (turn.text === 'boom') throw new Error('engine exploded');
    if (turn.text === 'long') return [reply(LONG, { choices: MENU })];
    return [reply(`answer to ${turn.text ?? turn.choice}`, { choices: MENU })];
  },
  welcome: () => reply('こんにちは。UPS保守サービスについてお答えします。', { choices: MENU, handoff: { phone: '03-4578-4697', open: true, nextOpen: null } }),
  failureReply: (lang) =>
    reply(lang === 'ja' ? '申し訳ありません。コールセンター (03-4578-4697) へお電話ください。' : 'Sorry. Please call 03-4578-4697.', {
      handoff: { phone: '03-4578-4697', open: true, nextOpen: null },
    }),
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness(scripted);
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
  h.engineCalls.length = 0;
});

const posts = () => h.fake.ok('chat.postMessage');
const form = { contentType: 'application/x-www-form-urlencoded' as const };

describe('Slack transport', () => {
  it('acknowledges an event and a slash command before a slow engine answers', async () => {
    let started = Date.now();
    const res = await h.post(json(directMessage('slow', 'U0SLOW0001')));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(posts()).toHaveLength(0);
    await waitFor(() => posts().length === 1, 'the slow answer');

    started = Date.now();
    const command = slashCommand(h.fake.responseUrl('slow'), 'slow');
    expect((await h.post(command, form)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(() => h.fake.ok('response_url').length === 1, 'the slow ephemeral answer');
  });

  it('answers a failing turn with an apology and the call center, and keeps working', async () => {
    await h.post(json(directMessage('boom', 'U0BOOM0001')));
    const [apology] = await waitFor(() => posts().length > 0 && posts(), 'the apology');
    expect(apology!.body.text).toContain('03-4578-4697');
    h.fake.reset();
    await h.post(json(directMessage('hello again', 'U0BOOM0001')));
    const [next] = await waitFor(() => posts().length > 0 && posts(), 'the next answer');
    expect(next!.body.text).toContain('answer to hello again');
  });

  it('posts an answer longer than 3000 characters as valid sections', async () => {
    expect(LONG.length).toBeGreaterThan(3000);
    const event = mention('long');
    await h.post(json(event));
    const sent = await waitFor(() => posts().length > 0 && posts(), 'the long answer');
    const blocks = sent.flatMap((p) => p.body.blocks);
    const sections = blocks.filter((b: any) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const section of sections) expect(section.text.text.length).toBeLessThanOrEqual(3000);
    for (const post of sent) {
      expect(post.body.blocks.length).toBeLessThanOrEqual(50);
      expect(post.body.text.length).toBeGreaterThan(0);
      expect(post.body.text.length).toBeLessThanOrEqual(3000);
    }
  });

  it('a click on an ephemeral /ups menu replaces it via response_url and answers the asker only', async () => {
    const command = slashCommand(h.fake.responseUrl('menu'), '', 'U0EPHEM001');
    await h.post(command, form);
    const [menu] = await waitFor(() => h.fake.ok('response_url').length > 0 && h.fake.ok('response_url'), 'the menu');
    const button = menu!.body.blocks.find((b: any) => b.type === 'actions').elements[1];
    h.fake.reset();

    const payload = fixture('block_actions.json');
    payload.trigger_id = nextTriggerId();
    payload.user = { ...payload.user, id: 'U0EPHEM001' };
    payload.container = { type: 'message', message_ts: '1764150777.000100', channel_id: 'C0GENERAL1', is_ephemeral: true };
    delete payload.message;
    payload.response_url = h.fake.responseUrl('ephemeral-click');
    payload.actions = [{ ...payload.actions[0], action_id: button.action_id, text: button.text, value: button.value }];
    await h.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), form);

    await waitFor(() => h.fake.ok('response_url').length >= 2, 'the replacement and the answer');
    const [replacement, answer] = h.fake.ok('response_url');
    expect(replacement!.body).toMatchObject({ replace_original: true });
    expect(JSON.stringify(replacement!.body.blocks)).toContain(button.text.text);
    expect(answer!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(h.engineCalls[0]!.turn).toMatchObject({ conversation: 'slack:T0TEAM001:dm:U0EPHEM001', choice: 'intent:contact' });
    expect(posts()).toHaveLength(0);
    expect(h.fake.ok('chat.update')).toHaveLength(0);
  });

  it('a click on the App Home menu answers in the DM and leaves the menu in place', async () => {
    const payload = fixture('block_actions.json');
    payload.trigger_id = nextTriggerId();
    payload.container = { type: 'view', view_id: 'V0HOME0001' };
    delete payload.message;
    delete payload.channel;
    delete payload.response_url;
    payload.view = { id: 'V0HOME0001', type: 'home' };
    payload.actions = [{ ...payload.actions[0], action_id: 'ups_choice_0', text: { type: 'plain_text', text: MENU[0]!.label }, value: MENU[0]!.id }];
    await h.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), form);
    const [answer] = await waitFor(() => posts().length > 0 && posts(), 'the DM answer');
    expect(answer!.body.channel).toBe('U0ALICE01');
    expect(h.engineCalls[0]!.turn).toMatchObject({ conversation: 'slack:T0TEAM001:dm:U0ALICE01', choice: 'intent:recommend_service' });
    expect(h.fake.ok('chat.update')).toHaveLength(0);
  });

  it('an empty mention shows the menu without a turn', async () => {
    const event = mention('');
    event.event_id = nextEventId();
    await h.post(json(event));
    const [menu] = await waitFor(() => posts().length > 0 && posts(), 'the menu');
    expect(menu!.body.thread_ts).toBe(event.event.ts);
    expect(menu!.body.blocks.some((b: any) => b.type === 'actions')).toBe(true);
    expect(h.engineCalls).toHaveLength(0);
  });
});
