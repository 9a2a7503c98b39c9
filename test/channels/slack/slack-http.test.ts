// Slack over HTTP, end to end: signed requests into the shared server, answers read back
// from the fake Web API. Transport behaviour is checked with whatever engine is in
// src/core; answers that need the real engine are in slack-answers.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderReply } from '../../../src/channels/slack/render.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { BOT_ID, BOT_USER_ID, fixture, fixtureText, waitFor } from './fake-slack.ts';
import { click, slashCommand, directMessage, json, mention, nextEventId, nextTs, startHarness, threadMessage, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
  h.engineCalls.length = 0;
});

const posts = () => h.fake.ok('chat.postMessage');
const turnsFor = (conversation: string) => h.engineCalls.filter((c) => c.turn.conversation === conversation);
/** Gives the server a moment to (wrongly) answer something it should ignore; the checks after it must stay empty. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** Waits until the engine answered `conversation` and all its replies are posted. */
async function answered(conversation: string, turns = 1) {
  await waitFor(() => turnsFor(conversation).length >= turns, `${turns} engine turn(s) for ${conversation}`);
  await waitFor(() => posts().length >= 1, 'a chat.postMessage');
  await settle();
}

describe('Slack HTTP endpoint', () => {
  it('answers url_verification with the challenge', async () => {
    const body = fixture('url_verification.json');
    const res = await h.post(json(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: body.challenge });
  });

  it('rejects a bad signature and a stale timestamp with 401 and never answers', async () => {
    const event = mention('保守サービスとは？');
    const bad = await h.post(json(event), { signBody: json({ forged: true }) });
    expect(bad.status).toBe(401);
    const stale = await h.post(json(mention('保守サービスとは？')), { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);
    const unsigned = await h.post(json(mention('保守サービスとは？')), { unsigned: true });
    expect(unsigned.status).toBe(401);
    await settle();
    expect(h.engineCalls).toHaveLength(0);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('never answers an ssl_check: unsigned → 401, signed → empty 200', async () => {
    const form = 'ssl_check=1&token=verification-token-unused';
    const unsigned = await h.post(form, { contentType: 'application/x-www-form-urlencoded', unsigned: true });
    expect(unsigned.status).toBe(401);
    const signed = await h.post(form, { contentType: 'application/x-www-form-urlencoded' });
    expect(signed.status).toBe(200);
    expect(await signed.text()).toBe('');
    await settle();
    expect(h.engineCalls).toHaveLength(0);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });
});

describe('Slack conversations', () => {
  it('answers an app_mention once, in the thread of the mention', async () => {
    const event = mention('年間保守サービスの申し込み方法は？');
    const started = Date.now();
    const res = await h.post(json(event));
    // Acknowledged before the engine runs.
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const conversation = `slack:T0TEAM001:C0GENERAL1:${event.event.ts}`;
    await answered(conversation);
    const [call] = turnsFor(conversation);
    expect(call!.turn.text).toBe('年間保守サービスの申し込み方法は？');
    expect(posts().length).toBe(renderedCount(call!.replies));
    for (const post of posts()) {
      expect(post.body).toMatchObject({ channel: 'C0GENERAL1', thread_ts: event.event.ts });
      expect(post.body.text).toEqual(expect.any(String));
      expect(post.body.text.length).toBeGreaterThan(0);
      expect(Array.isArray(post.body.blocks)).toBe(true);
    }
  });

  it('answers a DM in the DM, as one conversation per user', async () => {
    const event = directMessage('コールセンターの電話番号を教えて');
    await h.post(json(event));
    const conversation = 'slack:T0TEAM001:dm:U0ALICE01';
    await answered(conversation);
    expect(turnsFor(conversation)).toHaveLength(1);
    for (const post of posts()) {
      expect(post.body.channel).toBe('D0ALICEDM1');
      expect(post.body.thread_ts).toBeUndefined();
    }
  });

  it('continues a thread it was mentioned in without a new mention, and ignores other threads', async () => {
    const first = mention('保守を選びたい');
    await h.post(json(first));
    const conversation = `slack:T0TEAM001:C0GENERAL1:${first.event.ts}`;
    await answered(conversation);
    h.fake.reset();

    await h.post(json(threadMessage('自分で交換できます', first.event.ts)));
    await waitFor(() => turnsFor(conversation).length === 2, 'the follow-up turn');
    await waitFor(() => posts().length > 0, 'the follow-up reply');
    expect(turnsFor(conversation)[1]!.turn.text).toBe('自分で交換できます');
    for (const post of posts()) expect(post.body.thread_ts).toBe(first.event.ts);

    h.fake.reset();
    const before = h.engineCalls.length;
    await h.post(json(threadMessage('関係ないスレッドの話', nextTs())));
    await settle();
    expect(h.engineCalls.length).toBe(before);
    expect(posts()).toHaveLength(0);
  });

  it('answers a mention inside a known thread once although Slack delivers it twice', async () => {
    const first = mention('保守サービスとは？');
    await h.post(json(first));
    const conversation = `slack:T0TEAM001:C0GENERAL1:${first.event.ts}`;
    await answered(conversation);

    const ts = nextTs();
    const again = mention('センドバックとオンサイトの違いは？', { threadTs: first.event.ts, ts });
    const asMessage = threadMessage(`<@${BOT_USER_ID}> センドバックとオンサイトの違いは？`, first.event.ts, ts);
    await Promise.all([h.post(json(again)), h.post(json(asMessage))]);
    await waitFor(() => turnsFor(conversation).length >= 2, 'the second turn');
    await settle();
    expect(turnsFor(conversation)).toHaveLength(2);
  });

  it('ignores bot messages (its own and others) and message subtypes', async () => {
    const other = fixture('message_bot.json');
    other.event_id = nextEventId();
    const own = directMessage('I am the bot');
    own.event.user = BOT_USER_ID;
    own.event.bot_id = BOT_ID;
    const edited = fixture('message_changed.json');
    edited.event_id = nextEventId();
    const joined = directMessage('<@U0ALICE01> has joined the channel');
    joined.event.subtype = 'channel_join';
    for (const event of [other, own, edited, joined]) expect((await h.post(json(event))).status).toBe(200);
    await settle();
    expect(h.engineCalls).toHaveLength(0);
    expect(posts()).toHaveLength(0);
  });

  it('answers a retried delivery of the same event only once', async () => {
    const event = directMessage('保証書はいつ届きますか？', 'U0RETRY001');
    const conversation = 'slack:T0TEAM001:dm:U0RETRY001';
    await h.post(json(event));
    await answered(conversation);
    const count = posts().length;
    const retry = await h.post(json(event), { retryNum: 1 });
    expect(retry.status).toBe(200);
    const retry2 = await h.post(json(event), { retryNum: 2 });
    expect(retry2.status).toBe(200);
    await settle();
    expect(turnsFor(conversation)).toHaveLength(1);
    expect(posts()).toHaveLength(count);
  });

  it('answers the retry of a delivery that was never processed', async () => {
    const event = directMessage('保証書はいつ届きますか？', 'U0RETRY002');
    const conversation = 'slack:T0TEAM001:dm:U0RETRY002';
    // The first delivery never got through (here: mangled in transit, so the signature fails).
    expect((await h.post(json(event), { signBody: 'x' })).status).toBe(401);
    expect((await h.post(json(event), { retryNum: 1 })).status).toBe(200);
    await answered(conversation);
    expect(turnsFor(conversation)).toHaveLength(1);
  });

  it('strips <!channel>, <@U…> and <!subteam^…> before the engine and never echoes them', async () => {
    const event = directMessage('<!channel> <@U123> <!subteam^S0TEAM|@ops> 保守サービス &lt;!here&gt; の説明', 'U0STRIP001');
    const conversation = 'slack:T0TEAM001:dm:U0STRIP001';
    await h.post(json(event));
    await answered(conversation);
    const text = turnsFor(conversation)[0]!.turn.text!;
    expect(text).toBe('保守サービス の説明');
    for (const post of posts()) {
      const sent = JSON.stringify(post.body);
      for (const token of ['<!channel>', '<!here>', '<@U123>', '<!subteam', '&lt;!channel', '&lt;@U123']) expect(sent).not.toContain(token);
    }
  });

  it('retries chat.postMessage after a 429 (Retry-After) and posts the message once', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const event = directMessage('Trade-UPSについて教えて', 'U0RATE0001');
    const conversation = 'slack:T0TEAM001:dm:U0RATE0001';
    await h.post(json(event));
    await waitFor(() => turnsFor(conversation).length === 1, 'the engine turn');
    const expected = renderedCount(turnsFor(conversation)[0]!.replies);
    await waitFor(() => posts().length >= expected, 'the retried post', 8000);
    const attempts = h.fake.calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts[0]!.status).toBe(429);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(attempts[1]!.body).toEqual(attempts[0]!.body);
    await settle();
    expect(posts()).toHaveLength(expected);
  });

  it('survives a Web API that keeps failing: logs, does not crash, keeps serving', async () => {
    h.fake.failNext('chat.postMessage', ...Array.from({ length: 10 }, () => ({ status: 500 })));
    const event = directMessage('保守サービスとは？', 'U0FAIL0001');
    await h.post(json(event));
    await waitFor(() => h.fake.calls.filter((c) => c.method === 'chat.postMessage').length >= 3, 'the retries');
    h.fake.reset();
    const next = directMessage('保守サービスとは？', 'U0FAIL0002');
    await h.post(json(next));
    await answered('slack:T0TEAM001:dm:U0FAIL0002');
    expect(posts().length).toBeGreaterThan(0);
  });
});

describe('Slack buttons, slash command and App Home', () => {
  it('a click continues the dialog with the choice id, updates the clicked message once, and ignores a second click', async () => {
    const event = mention('保守を選びたい');
    await h.post(json(event));
    const conversation = `slack:T0TEAM001:C0GENERAL1:${event.event.ts}`;
    await answered(conversation);
    const withButtons = posts().find((p) => p.body.blocks.some((b: any) => b.type === 'actions'));
    expect(withButtons, 'a reply with choices').toBeDefined();
    const actions = withButtons!.body.blocks.find((b: any) => b.type === 'actions');
    const button = actions.elements[0];
    const message = { channel: 'C0GENERAL1', ts: withButtons!.response.ts as string, threadTs: event.event.ts, blocks: withButtons!.body.blocks, text: withButtons!.body.text };
    h.fake.reset();
    const payload = click(message, button, h.fake.responseUrl('click-1'));
    const res = await h.post(payload, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    await waitFor(() => turnsFor(conversation).length === 2, 'the choice turn');
    expect(turnsFor(conversation)[1]!.turn).toMatchObject({ choice: button.value });
    expect(turnsFor(conversation)[1]!.turn.text).toBeUndefined();

    const [update] = await waitFor(() => h.fake.ok('chat.update').length > 0 && h.fake.ok('chat.update'), 'chat.update');
    expect(update!.body).toMatchObject({ channel: 'C0GENERAL1', ts: message.ts });
    expect(update!.body.blocks.some((b: any) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(update!.body.blocks)).toContain(button.text.text);
    await waitFor(() => posts().length > 0, 'the answer to the choice');
    for (const post of posts()) expect(post.body.thread_ts).toBe(event.event.ts);

    // The old buttons are gone for everyone, but a client may still send a second click.
    await h.post(click(message, button, h.fake.responseUrl('click-2')), { contentType: 'application/x-www-form-urlencoded' });
    await settle();
    expect(turnsFor(conversation)).toHaveLength(2);
    expect(h.fake.ok('chat.update')).toHaveLength(1);
  });

  it('/ups without text shows the menu, ephemerally, via response_url', async () => {
    const form = slashCommand(h.fake.responseUrl('cmd-1'));
    const res = await h.post(form, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    const [answer] = await waitFor(() => h.fake.ok('response_url').length > 0 && h.fake.ok('response_url'), 'the menu');
    expect(answer!.body.response_type).toBe('ephemeral');
    expect(answer!.body.blocks.some((b: any) => b.type === 'actions')).toBe(true);
    expect(posts()).toHaveLength(0);
  });

  it('/ups with a question answers the asker only', async () => {
    const form = slashCommand(h.fake.responseUrl('cmd-2'), 'コールセンターの受付時間は？ <!here>', 'U0SLASH001');
    await h.post(form, { contentType: 'application/x-www-form-urlencoded' });
    const conversation = 'slack:T0TEAM001:dm:U0SLASH001';
    await waitFor(() => turnsFor(conversation).length === 1, 'the engine turn');
    expect(turnsFor(conversation)[0]!.turn.text).toBe('コールセンターの受付時間は？');
    const expected = renderedCount(turnsFor(conversation)[0]!.replies);
    await waitFor(() => h.fake.ok('response_url').length >= expected, 'the ephemeral answer');
    for (const answer of h.fake.ok('response_url')) expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(posts()).toHaveLength(0);
  });

  it('publishes the App Home with the menu and the call-center box', async () => {
    const event = fixture('app_home_opened.json');
    event.event_id = nextEventId();
    await h.post(json(event));
    const [publish] = await waitFor(() => h.fake.ok('views.publish').length > 0 && h.fake.ok('views.publish'), 'views.publish');
    expect(publish!.body.user_id).toBe('U0ALICE01');
    expect(publish!.body.view.type).toBe('home');
    const blocks = JSON.stringify(publish!.body.view.blocks);
    expect(blocks).toContain('03-4578-4697');
    expect(publish!.body.view.blocks.some((b: any) => b.type === 'actions')).toBe(true);
  });
});


function renderedCount(replies: Reply[]): number {
  return replies.reduce((n, reply) => n + renderReply(reply).length, 0);
}
