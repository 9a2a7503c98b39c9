// The shutdown deadline: with the Slack Web API and the Bot Connector both hanging (they
// accept the request and never answer), SIGTERM still ends the process with exit code 0
// within SHUTDOWN_TIMEOUT_SECONDS. Before, the WebClient's retries (five over five minutes,
// 10 s timeouts) kept it running for minutes.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postToSlackEndpoint, waitFor } from '../channels/slack/fake-slack.ts';
import { directMessage, json } from '../channels/slack/harness.ts';
import { spawnBot } from './bot-process.ts';

const SIGNING_SECRET = 'shutdown-test-signing-secret-0123';

/** Accepts every request and never answers it. */
class HangingUpstream {
  readonly seen: string[] = [];
  readonly #held: IncomingMessage[] = [];
  #server: Server | undefined;
  url = '';
  async start(): Promise<void> {
    this.#server = createServer((req) => {
      this.seen.push(req.url ?? '');
      this.#held.push(req);
    });
    await new Promise<void>((done) => this.#server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((done) => this.#server?.close(done));
  }
}

const slack = new HangingUpstream();
const connector = new HangingUpstream();
beforeAll(async () => {
  await slack.start();
  await connector.start();
});
afterAll(async () => {
  await slack.stop();
  await connector.stop();
});

it('exits 0 at the deadline while Slack and Teams upstreams hang', async () => {
  const { child, stderr, exited } = spawnBot({
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_SECONDS: '3',
    SLACK_BOT_TOKEN: 'xoxb-shutdown-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${slack.url}/api/`,
  });
  try {
    const banner = await waitFor(() => stderr().match(/open (http:\/\/\S+) to chat/) ?? undefined, `the server:\n${stderr()}`, 20_000);
    const base = new URL(banner[1]!);
    // A Slack turn whose answer hangs in chat.postMessage.
    const ack = await postToSlackEndpoint(new URL('/slack/events', base).href, json(directMessage('保守サービスとは？', 'U0HANG0001')), { secret: SIGNING_SECRET });
    expect(ack.status).toBe(200);
    // A Teams turn whose reply hangs in the Bot Connector (the request itself stays open).
    const activity = {
      type: 'message',
      id: 'hang-1',
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: '29:hang' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:hang-1', conversationType: 'personal' },
      text: '保守サービスとは？',
    };
    void fetch(new URL('/api/messages', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) }).catch(() => undefined);
    await waitFor(() => slack.seen.some((u) => u.endsWith('chat.postMessage')), 'the hanging chat.postMessage', 10_000);
    await waitFor(() => connector.seen.length > 0, 'the hanging connector call', 10_000);

    const started = Date.now();
    process.kill(child.pid!, 'SIGTERM');
    const code = await Promise.race([exited, new Promise<'still running'>((done) => setTimeout(() => done('still running'), 8_000))]);
    expect(code).toBe(0);
    // SHUTDOWN_TIMEOUT_SECONDS=3, plus the time a child needs to notice the signal.
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  }
}, 40_000);
