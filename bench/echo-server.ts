// The frameworks' own floor: a bare echo app per channel, on the same framework and versions
// as ours, with nothing of ours in between. `node --import tsx bench/echo-server.ts slack|teams`
//   slack: Bolt App + ExpressReceiver; every DM is echoed with chat.postMessage (SLACK_API_URL).
//   teams: the Agents SDK's CloudAdapter (anonymous); every message is echoed with sendActivity to its serviceUrl.
//   With REDIS_URL, each delivery is first claimed with one SET NX EX (the least de-duplication
//   across instances needs), and a repeated one is not echoed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { CloudAdapter, type TurnContext } from '@microsoft/agents-hosting';
import express from 'express';

const kind = process.argv[2];
const app = express();
const redis = process.env.REDIS_URL ? new (await import('ioredis')).Redis(process.env.REDIS_URL, { keyPrefix: 'echo:' }) : undefined;
/** True the first time a delivery id is seen (always true without Redis). */
const firstDelivery = async (id: string | undefined): Promise<boolean> => redis === undefined || id === undefined || (await redis.set(`seen:${id}`, '1', 'EX', 7200, 'NX')) === 'OK';

if (kind === 'slack') {
  const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const bolt = new App({
    receiver,
    // Fixed identity instead of auth.test: the least an app can do.
    authorize: async () => ({ botToken: process.env.SLACK_BOT_TOKEN ?? '', botUserId: 'U0BENCHBOT', botId: 'B0BENCHBOT', teamId: 'T0BENCH01' }),
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
    logLevel: LogLevel.ERROR,
  });
  bolt.message(async ({ message, client, body }) => {
    if (message.subtype !== undefined || !(await firstDelivery((body as { event_id?: string }).event_id))) return;
    await client.chat.postMessage({ channel: message.channel, text: message.text ?? '' });
  });
  app.use(receiver.router);
} else if (kind === 'teams') {
  // No credentials: anonymous, like ours without a client id (the Agents Playground set-up);
  // the SDK's JWT middleware would only mark the request anonymous, so it is left out here as in ours.
  const adapter = new CloudAdapter({ clientId: undefined });
  app.post('/api/messages', express.json(), async (req, res) => {
    await adapter.process(req as never, res as never, async (context: TurnContext) => {
      if (context.activity.type !== 'message' || !(await firstDelivery(context.activity.id))) return;
      await context.sendActivity(context.activity.text ?? '');
    });
  });
} else {
  throw new Error('usage: echo-server.ts slack|teams');
}

const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`echo listening http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`);
});
process.on('SIGTERM', () => {
  redis?.disconnect();
  server.close(() => process.exit(0));
});
