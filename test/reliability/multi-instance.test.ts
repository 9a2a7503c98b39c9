// Two real server processes (`node --import tsx src/main.ts`) behind one real redis-server, on loopback:
// a web conversation moves between instances and survives a restart, the same Slack
// delivery reaching both is answered once, and a Redis outage gets the polite reply while
// /healthz stays up, then heals by itself when Redis returns.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, postToSlackEndpoint, waitFor } from '../channels/slack/fake-slack.ts';
import { directMessage, json } from '../channels/slack/harness.ts';
import { spawnBot } from './bot-process.ts';
import { RedisServer } from './redis-server.ts';

const SIGNING_SECRET = 'multi-instance-signing-secret-0123';
const POLITE = /03-4578-4697/;

interface Instance {
  name: string;
  child: ChildProcess;
  url: URL;
  stderr: () => string;
  exited: Promise<number | null>;
}

let redis: RedisServer;
let slack: FakeSlack;
const instances: Instance[] = [];

async function startInstance(name: string): Promise<Instance> {
  const { child, stderr, exited } = spawnBot({
    LOG_LEVEL: 'info',
    REDIS_URL: redis.url,
    SLACK_BOT_TOKEN: 'xoxb-multi-instance-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    WEB_RATE_LIMIT_PER_MINUTE: '10000',
  });
  const instance: Instance = { name, child, url: new URL('http://invalid/'), stderr, exited };
  instances.push(instance);
  const match = await waitFor(() => stderr().match(/open (http:\/\/\S+) to chat/), `${name} to listen:\n${stderr()}`, 20_000);
  instance.url = new URL(match![1]!);
  return instance;
}

async function stopInstance(instance: Instance): Promise<number | null> {
  instance.child.kill('SIGTERM');
  return instance.exited;
}

async function chat(instance: Instance, body: Record<string, unknown>): Promise<{ status: number; conversation: string | undefined; replies: any[] }> {
  const res = await fetch(new URL('/api/chat', instance.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const payload = (await res.json()) as { conversation?: string; replies?: any[] };
  return { status: res.status, conversation: payload.conversation, replies: payload.replies ?? [] };
}

const status = async (instance: Instance, path: string): Promise<number> => (await fetch(new URL(path, instance.url))).status;

beforeAll(async () => {
  redis = await RedisServer.start();
  slack = new FakeSlack();
  await slack.start();
  await Promise.all([startInstance('A'), startInstance('B')]);
}, 40_000);

afterAll(async () => {
  // tsx runs main.ts in a grandchild: kill the whole process group.
  for (const instance of instances) if (instance.child.exitCode === null && instance.child.pid !== undefined) process.kill(-instance.child.pid, 'SIGKILL');
  await slack?.stop();
  await redis?.stop();
});

describe('several instances sharing one Redis', () => {
  it('both are ready with Redis behind them', async () => {
    const [a, b] = instances;
    expect(await status(a!, '/readyz')).toBe(200);
    expect(await status(b!, '/readyz')).toBe(200);
  });

  it('continues a web conversation on the other instance, and after an instance restarts', async () => {
    const [a, b] = instances as [Instance, Instance];
    // A issues the id; every instance honours it, because the issued ids are in Redis too.
    const first = await chat(a, { text: 'SMT1500Jの保守サービスを選びたい', locale: 'ja' });
    expect(first.status).toBe(200);
    const conversation = first.conversation!;
    const question = first.replies.at(-1)!;
    expect(question.intent).toBe('recommend_service');
    const offered = question.choices.map((c: { id: string }) => c.id);
    expect(offered.length).toBeGreaterThan(0);

    // B has never seen this conversation: it accepts A's buttons only if the state is shared.
    const second = await chat(b, { conversation, choice: offered[0], locale: 'ja' });
    expect(second.status).toBe(200);
    expect(second.conversation).toBe(conversation);
    const next = second.replies.at(-1)!;
    expect(next.intent).toBe('recommend_service');
    expect(next.text).not.toMatch(/その選択肢は今は使えません/);

    // A stops cleanly (SIGTERM → exit 0); a new instance picks the conversation up.
    expect(await stopInstance(a)).toBe(0);
    const a2 = await startInstance('A2');
    instances[0] = a2;
    const offeredNow = next.choices.map((c: { id: string }) => c.id);
    expect(offeredNow.length).toBeGreaterThan(0);
    const third = await chat(a2, { conversation, choice: offeredNow[0], locale: 'ja' });
    expect(third.status).toBe(200);
    expect(third.conversation).toBe(conversation);
    expect(third.replies.at(-1)!.text).not.toMatch(/その選択肢は今は使えません/);
    expect(third.replies.at(-1)!.intent).toBe('recommend_service');

    // A click answers its question on any instance, so the proof of shared state is what the
    // dialog remembers: the model from A's first message is never asked for, and it ends the dialog.
    let last = third.replies.at(-1)!;
    for (let turn = 0; turn < 8 && last.recommendation === null; turn++) {
      const ids = last.choices.map((c: { id: string }) => c.id).filter((id: string) => !id.startsWith('intent:'));
      expect(ids).not.toContain('model:unknown');
      last = (await chat(turn % 2 === 0 ? b : a2, { conversation, choice: ids[0], locale: 'ja' })).replies.at(-1)!;
    }
    expect(last.recommendation?.model).toBe('SMT1500J');
  }, 40_000);

  it('answers one Slack delivery once although both instances receive it (retry to another instance)', async () => {
    const [a, b] = instances as [Instance, Instance];
    slack.reset();
    const body = json(directMessage('無償保証で何が受けられますか？', 'U0MULTI01'));
    const [ra, rb] = await Promise.all([
      postToSlackEndpoint(new URL('/slack/events', a.url).href, body, { secret: SIGNING_SECRET }),
      postToSlackEndpoint(new URL('/slack/events', b.url).href, body, { secret: SIGNING_SECRET, retryNum: 1 }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    await waitFor(() => slack.ok('chat.postMessage').length >= 1, 'the answer', 10_000);
    // Give the other instance every chance to (wrongly) answer as well.
    await new Promise((done) => setTimeout(done, 1_500));
    const posts = slack.ok('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe(directMessage('x').event.channel);
  }, 20_000);

  it('gives the polite reply while Redis is down, keeps /healthz up, and recovers when Redis returns', async () => {
    const [a, b] = instances as [Instance, Instance];
    const opened = await chat(a, { text: 'こんにちは' });
    expect(opened.status).toBe(200);
    const conversation = opened.conversation!;

    await redis.stop();
    const started = Date.now();
    const during = await chat(a, { conversation, text: '年間保守の申し込み方法は？' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(during.status).toBe(200);
    expect(during.replies).toHaveLength(1);
    expect(during.replies[0].text).toMatch(/一時的にご利用いただけません/);
    expect(during.replies[0].text).toMatch(POLITE);
    expect(during.replies[0].handoff).toMatchObject({ phone: '03-4578-4697' });
    expect(await status(a, '/healthz')).toBe(200);
    expect(await status(b, '/healthz')).toBe(200);
    expect(await status(a, '/readyz')).toBe(503);
    expect(await status(b, '/readyz')).toBe(503);
    expect(a.stderr()).toMatch(/redis unreachable/);

    // Slack too: a DM during the outage gets the polite reply instead of silence.
    slack.reset();
    const dm = await postToSlackEndpoint(new URL('/slack/events', b.url).href, json(directMessage('保守の相談です', 'U0OUTAGE1')), { secret: SIGNING_SECRET });
    expect(dm.status).toBe(200);
    const [posted] = await waitFor(() => slack.ok('chat.postMessage').length > 0 && slack.ok('chat.postMessage'), 'the polite Slack reply', 5_000);
    expect(JSON.stringify(posted!.body.blocks)).toMatch(/一時的にご利用いただけません/);

    await redis.start();
    for (const instance of [a, b]) {
      const deadline = Date.now() + 10_000;
      while ((await status(instance, '/readyz')) !== 200) {
        if (Date.now() > deadline) throw new Error(`${instance.name} never became ready again:\n${instance.stderr().slice(-2000)}`);
        await new Promise((done) => setTimeout(done, 100));
      }
    }
    const after = await chat(b, { conversation, text: '年間保守の申し込み方法は？' });
    expect(after.status).toBe(200);
    expect(after.replies.at(-1)!.intent).toBe('annual_application');
    expect(a.stderr()).toMatch(/redis reachable again/);
  }, 30_000);

  it('never logs the Slack token or the signing secret', () => {
    for (const instance of instances) {
      expect(instance.stderr()).not.toContain('xoxb-multi-instance-test-token');
      expect(instance.stderr()).not.toContain(SIGNING_SECRET);
    }
  });
});
