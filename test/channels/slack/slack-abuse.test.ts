// Attacks on the Slack endpoint that once worked: an exact replay of a signed /ups request
// answered again, request timestamps in the future accepted, and a rate-limited auth.test on
// a fresh server holding every ack past Slack's 3 seconds so that events were dropped.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.ts';
import { waitFor } from './fake-slack.ts';
import { directMessage, json, nextTriggerId, slashCommand, startHarness, type Harness } from './harness.ts';

const FORM = { contentType: 'application/x-www-form-urlencoded' } as const;
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Slack replays and clocks', () => {
  it('answers an exact replay of a signed /ups request once', async () => {
    h = await startHarness();
    const form = slashCommand(h.fake.responseUrl('replay'), 'コールセンターの受付時間は？', 'U0REPLAY01');
    const timestamp = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 3; i++) expect((await h.post(form, { ...FORM, timestamp })).status).toBe(200);
    await waitFor(() => h!.engineCalls.length >= 1, 'the first answer');
    await settle();
    expect(h.engineCalls).toHaveLength(1);
  });

  it('still answers two commands with the same text (different trigger_ids)', async () => {
    h = await startHarness();
    for (let i = 0; i < 2; i++) await h.post(slashCommand(h.fake.responseUrl(`twice-${i}`), '保守サービスとは？', 'U0TWICE001'), FORM);
    await waitFor(() => h!.engineCalls.length === 2, 'two answers');
  });

  it('refuses a request stamped more than five minutes in the future', async () => {
    h = await startHarness();
    const ahead = Math.floor(Date.now() / 1000) + 10 * 60;
    const res = await h.post(json(directMessage('保守サービスとは？', 'U0FUTURE01')), { timestamp: ahead });
    expect(res.status).toBe(401);
    const command = await h.post(slashCommand(h.fake.responseUrl('future'), '保守サービスとは？'), { ...FORM, timestamp: ahead });
    expect(command.status).toBe(401);
    // A little ahead (clock skew) is fine.
    expect((await h.post(json(directMessage('保守サービスとは？', 'U0FUTURE02')), { timestamp: Math.floor(Date.now() / 1000) + 30 })).status).toBe(200);
    await waitFor(() => h!.engineCalls.length === 1, 'the one answer');
    await settle();
    expect(h.engineCalls.map((c) => c.turn.conversation)).toEqual(['slack:T0TEAM001:dm:U0FUTURE02']);
  });
});

describe('Slack bot identity', () => {
  it('acknowledges and answers events at once while auth.test is rate-limited on a fresh server', async () => {
    h = await startHarness({ failAuthTest: { status: 429, retryAfter: 30 } });
    const started = Date.now();
    const res = await h.post(json(directMessage('保守サービスとは？', 'U0FRESH001')));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_500);
    await waitFor(() => h!.fake.ok('chat.postMessage').length > 0, 'the answer', 3_000);
    expect(h.fake.calls.filter((c) => c.method === 'auth.test').every((c) => c.status === 429)).toBe(true);
  });
});

describe('Slack requests Bolt drops', () => {
  it('are logged with their kind and cause, not just "unhandled error"', async () => {
    let lines = '';
    const logger = createLogger('info', { destination: { write: (line: string) => void (lines += line) } });
    h = await startHarness({ logger });
    // A global shortcut: no listener acknowledges it, so Bolt gives up after 3 seconds.
    const payload = { type: 'shortcut', callback_id: 'unknown_shortcut', trigger_id: nextTriggerId(), team: { id: 'T0TEAM001' }, user: { id: 'U0SHORT001' }, token: 'unused' };
    const res = await h.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
    expect(res.status).toBe(404);
    const line = await waitFor(() => lines.split('\n').find((l) => l.includes('not acknowledged')), 'the log line', 5_000);
    expect(JSON.parse(line)).toMatchObject({ level: 50, kind: 'shortcut', msg: expect.stringMatching(/dropped/) });
  });
});
