// The frameworks' own floor: a bare echo app per channel, on the same framework and versions
// as ours, with nothing of ours in between. `node --import tsx bench/echo-server.ts slack|teams`
//   slack: Bolt App + ExpressReceiver; every DM is echoed with chat.postMessage (SLACK_API_URL).
//   teams: the Agents SDK's CloudAdapter (anonymous); every message is echoed with sendActivity to its serviceUrl.
//   teams-typing: the same, sending a typing indicator before the echo (as our bot does).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { CloudAdapter, type TurnContext } from '@microsoft/agents-hosting';
import express from 'express';

const kind = process.argv[2];
const app = express();

if (kind === 'slack') {
  const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const bolt = new App({
    receiver,
    // Fixed identity instead of auth.test: the least an app can do.
    authorize: async () => ({ botToken: process.env.SLACK_BOT_TOKEN ?? '', botUserId: 'U0BENCHBOT', botId: 'B0BENCHBOT', teamId: 'T0BENCH01' }),
    clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '' },
    logLevel: LogLevel.ERROR,
  });
  bolt.message(async ({ message, client }) => {
    if (message.subtype === undefined) await client.chat.postMessage({ channel: message.channel, text: message.text ?? '' });
  });
  app.use(receiver.router);
} else if (kind === 'teams' || kind === 'teams-typing') {
  // No credentials: anonymous, like ours without a client id (the Agents Playground set-up);
  // the SDK's JWT middleware would only mark the request anonymous, so it is left out here as in ours.
  const adapter = new CloudAdapter({ clientId: undefined });
  app.post('/api/messages', express.json(), async (req, res) => {
    await adapter.process(req as never, res as never, async (context: TurnContext) => {
      if (context.activity.type !== 'message') return;
      // teams-typing: a typing indicator first, as our bot sends, to price that extra call.
      if (kind === 'teams-typing') await context.sendActivity({ type: 'typing' } as never);
      await context.sendActivity(context.activity.text ?? '');
    });
  });
} else {
  throw new Error('usage: echo-server.ts slack|teams|teams-typing');
}

const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`echo listening http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
