// A flood on one channel must not cost another channel its state. Every channel shares one
// store here, as in main.ts, with small budgets (STATE_MAX_CONVERSATIONS=20): a flood of
// anonymous Teams conversations fills Teams' budgets and is refused there, politely, while a
// Slack delivery key (its retry is answered once) and a web user's dialog (the next button
// works) stay. With the old single 20,000-entry store that dropped its oldest entries, about
// 11,000 Teams activities were enough to push both out (npm run chaos replays that at full size).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pino } from 'pino';
import { createSlackChannel } from '../../src/channels/slack/index.ts';
import { createTeamsChannel } from '../../src/channels/teams/index.ts';
import { createWebChannel } from '../../src/channels/web/index.ts';
import { buildEngine } from '../../src/core/index.ts';
import { defaultBudgets } from '../../src/core/store/budgets.ts';
import { MemoryStore } from '../../src/core/store/memory-store.ts';
import { createServer, type Server } from '../../src/server.ts';
import { FakeSlack, postToSlackEndpoint, waitFor } from '../channels/slack/fake-slack.ts';
import { directMessage, json, NOW, SIGNING_SECRET } from '../channels/slack/harness.ts';
import { ANONYMOUS, startFakeConnector, type FakeConnector } from '../channels/teams/harness.ts';

const BUDGET = 20;
let slack: FakeSlack;
let connector: FakeConnector;
let server: Server;
let base: URL;

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
  connector = await startFakeConnector();
  const logger = pino({ level: 'silent' });
  const store = new MemoryStore(Date.now, { budgets: defaultBudgets({ conversationsPerChannel: BUDGET }) });
  const engine = await buildEngine({ store, clock: () => NOW, logger });
  const channels = [
    createWebChannel({ config: { webRateLimitPerMinute: 10_000, webNewConversationsPerHour: 10_000, logUserText: false }, engine, logger, store }),
    createTeamsChannel({ config: ANONYMOUS, engine, logger, store, retry: { retries: 0 } }),
    createSlackChannel({
      config: { mode: 'http', signingSecret: SIGNING_SECRET, botToken: 'xoxb-flood-test', appToken: undefined, apiUrl: slack.apiUrl },
      engine,
      logger,
      store,
      retry: { retries: 0 },
    }),
  ];
  server = createServer({ config: { port: 0, host: '127.0.0.1' }, channels, logger, isReady: () => true });
  base = await server.listen();
}, 30_000);

afterAll(async () => {
  await server.close();
  await slack.stop();
  await connector.close();
});

async function web(body: Record<string, unknown>): Promise<any> {
  const res = await fetch(new URL('/api/chat', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

async function teams(n: number): Promise<number> {
  const activity = {
    type: 'message',
    id: `flood-${n}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    from: { id: `29:flood-${n}` },
    recipient: { id: '28:bot' },
    conversation: { id: `a:flood-${n}`, conversationType: 'personal' },
    text: '保守サービスとは？',
  };
  const res = await fetch(new URL('/api/messages', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  await res.arrayBuffer();
  return res.status;
}

it('keeps a Slack delivery key and a web dialog through a Teams flood, and refuses the flood politely', async () => {
  const dialog = await web({ text: 'SMT1500Jの保守サービスを選びたい' });
  const offered = dialog.replies.at(-1).choices.map((c: { id: string }) => c.id);
  expect(offered.length).toBeGreaterThan(0);

  const event = directMessage('保守サービスとは？', 'U0FLOOD001');
  const eventsUrl = new URL('/slack/events', base).href;
  expect((await postToSlackEndpoint(eventsUrl, json(event), { secret: SIGNING_SECRET })).status).toBe(200);
  await waitFor(() => slack.ok('chat.postMessage').length > 0, 'the Slack answer');
  const answered = slack.ok('chat.postMessage').length;

  // Five times the Teams budget, each a new conversation.
  for (let n = 0; n < 5 * BUDGET; n++) expect(await teams(n)).toBeLessThan(500);

  // Newcomers past the budget were refused with the polite answer, not silence.
  const texts = connector.messages().map((m) => JSON.stringify(m.body));
  expect(texts.filter((t) => t.includes('03-4578-4697')).length).toBeGreaterThan(0);

  // Slack retries the delivery: it is still remembered, so it is not answered again.
  expect((await postToSlackEndpoint(eventsUrl, json(event), { secret: SIGNING_SECRET, retryNum: 1 })).status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(slack.ok('chat.postMessage')).toHaveLength(answered);

  // The web user's next button still belongs to their dialog.
  const next = await web({ conversation: dialog.conversation, choice: offered[0] });
  expect(next.conversation).toBe(dialog.conversation);
  expect(next.replies.at(-1).text).not.toMatch(/その選択肢は今は使えません/);
  expect(next.replies.at(-1).intent).toBe('recommend_service');
  // …and the dialog still knows the model of the first message: it is never asked for again.
  let last = next.replies.at(-1);
  for (let turn = 0; turn < 8 && last.recommendation === null; turn++) {
    const ids = last.choices.map((c: { id: string }) => c.id).filter((id: string) => !id.startsWith('intent:'));
    expect(ids).not.toContain('model:unknown');
    last = (await web({ conversation: dialog.conversation, choice: ids[0] })).replies.at(-1);
  }
  expect(last.recommendation?.model).toBe('SMT1500J');
}, 60_000);
