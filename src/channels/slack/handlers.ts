// Bolt listeners: thin routes that turn Slack payloads into turns (conversation key, text
// or choice, where to answer) and hand them to the TurnRunner. Events are acknowledged by
// Bolt before these run (processBeforeResponse: false), commands and clicks ack first here:
// Slack gives us 3 seconds, the engine may need more.
import type { App, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Engine } from '../../core/engine.ts';
import type { Handoff } from '../../core/reply.ts';
import type { KeyValueStore } from '../../core/store/store.ts';
import type { Logger } from '../../logger.ts';
import { cleanIncomingText } from './incoming.ts';
import { CHOICE_ACTION_ID, markChosen, renderHomeView, renderReply } from './render.ts';
import type { Destination, TurnRunner } from './turns.ts';

/** Slack retries a delivery for up to ~1 hour; remember processed ones comfortably longer than 10 minutes. */
const DELIVERY_TTL_SECONDS = 2 * 3600;

export interface HandlerDeps {
  engine: Engine;
  store: KeyValueStore;
  runner: TurnRunner;
  client: webApi.WebClient;
  logger: Logger;
  /** How long the bot remembers a thread it was mentioned in. */
  threadTtlSeconds: number;
}

export const dmKey = (team: string, user: string): string => `slack:${team}:dm:${user}`;
export const threadKey = (team: string, channel: string, threadTs: string): string => `slack:${team}:${channel}:${threadTs}`;
const threadMemoryKey = (conversation: string): string => `slack:thread:${conversation}`;

const MessageEvent = z.looseObject({
  type: z.string(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  team: z.string().optional(),
});
type MessageEvent = z.infer<typeof MessageEvent>;

const Envelope = z.looseObject({ event_id: z.string().optional(), team_id: z.string().optional() });

const BlockActionBody = z.looseObject({
  team: z.looseObject({ id: z.string() }).nullable().optional(),
  user: z.looseObject({ id: z.string(), team_id: z.string().optional() }),
  channel: z.looseObject({ id: z.string() }).optional(),
  response_url: z.string().optional(),
  container: z.looseObject({
    type: z.string(),
    message_ts: z.string().optional(),
    channel_id: z.string().optional(),
    thread_ts: z.string().optional(),
    is_ephemeral: z.boolean().optional(),
  }),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional(), text: z.string().optional(), blocks: z.array(z.unknown()).optional() }).optional(),
  actions: z.array(z.looseObject({ value: z.string().optional(), text: z.looseObject({ text: z.string() }).optional() })).min(1),
});

export function registerHandlers(app: App, deps: HandlerDeps): void {
  const { engine, store, runner, client, logger, threadTtlSeconds } = deps;

  // Slash commands, shortcuts and clicks carry a trigger_id, unique per user action, and
  // Slack never retries them: a second request with the same one is a replay of a signed
  // request (within Bolt's five-minute window). It is acknowledged and not answered again.
  app.use(async (args) => {
    const body = args.body as { trigger_id?: unknown; type?: unknown; command?: unknown };
    const trigger = body.trigger_id;
    if (typeof trigger !== 'string' || trigger === '') return args.next();
    let first = true;
    try {
      first = await store.setIfAbsent(`slack:trigger:${trigger}`, 1, DELIVERY_TTL_SECONDS);
    } catch (err) {
      // Store down: the polite "temporarily unavailable" answer beats silence, even if a replay repeats it.
      logger.warn({ err }, 'slack replay protection unavailable; answering anyway');
    }
    if (first) return args.next();
    logger.warn({ kind: typeof body.command === 'string' ? 'slash_command' : body.type }, 'slack request replayed (same trigger_id); acknowledged, not answered');
    const { ack } = args as { ack?: () => Promise<void> };
    if (ack !== undefined) await ack();
  });

  /** Claims a delivery when its processing starts, so an unprocessed delivery's retry still gets answered. */
  async function claim(eventId: string | undefined, message: MessageEvent): Promise<boolean> {
    try {
      // A retried delivery finds its event id taken; app_mention and message.channels both deliver
      // a mention inside a known thread, under two event ids: the message claim answers it once.
      // One after the other, not at once: two instances given the same delivery at the same moment
      // could otherwise each win one key and both stand down, leaving it unanswered.
      if (eventId !== undefined && !(await store.setIfAbsent(`slack:event:${eventId}`, 1, DELIVERY_TTL_SECONDS))) return false;
      return await store.setIfAbsent(`slack:message:${message.channel}:${message.ts}`, 1, DELIVERY_TTL_SECONDS);
    } catch (err) {
      // Store down: the engine's polite "temporarily unavailable" reply beats silence, even if a retry repeats it.
      logger.warn({ err }, 'slack delivery de-duplication unavailable; answering anyway');
      return true;
    }
  }

  /** Remembers a thread the bot was mentioned in; a store outage must not cost the answer. */
  async function rememberThread(conversation: string): Promise<void> {
    await store.set(threadMemoryKey(conversation), 1, threadTtlSeconds).catch((err: unknown) => {
      logger.warn({ err }, 'slack thread memory unavailable');
    });
  }

  /** A person wrote it: no bot (this one or another), no edit, join, deletion or other subtype. */
  function fromUser(message: MessageEvent, botUserId: string | undefined): message is MessageEvent & { user: string } {
    const plain = message.subtype === undefined || message.subtype === 'thread_broadcast';
    return plain && message.bot_id === undefined && message.user !== undefined && message.user !== botUserId;
  }

  /**
   * The welcome menu carries no handoff; the engine's handoff answer gives the box with
   * "open now / next opening". Asked in a conversation of its own so no dialog is disturbed.
   */
  async function callCenter(team: string, user: string): Promise<Handoff | null> {
    const { replies } = await engine.handle({ conversation: `slack:${team}:home:${user}`, choice: 'intent:human_handoff' });
    return replies.find((r) => r.handoff !== null)?.handoff ?? null;
  }

  async function answer(conversation: string, message: MessageEvent, destination: Destination): Promise<void> {
    const text = cleanIncomingText(message.text ?? '');
    if (text === '') {
      await runner.deliver(renderReply(engine.welcome('ja'), 'ja'), destination);
      return;
    }
    await runner.run({ conversation, text, destination });
  }

  app.event('app_mention', async ({ event, body, context }) => {
    const message = MessageEvent.safeParse(event);
    if (!message.success || !fromUser(message.data, context.botUserId)) return;
    const envelope = Envelope.parse(body);
    const team = envelope.team_id ?? message.data.team ?? 'unknown';
    const threadTs = message.data.thread_ts ?? message.data.ts;
    const conversation = threadKey(team, message.data.channel, threadTs);
    if (!(await claim(envelope.event_id, message.data))) return;
    await rememberThread(conversation);
    await answer(conversation, message.data, { kind: 'post', channel: message.data.channel, threadTs });
  });

  app.event('message', async ({ event, body, context }) => {
    const message = MessageEvent.safeParse(event);
    if (!message.success || !fromUser(message.data, context.botUserId)) return;
    const envelope = Envelope.parse(body);
    const team = envelope.team_id ?? message.data.team ?? 'unknown';
    const { channel, ts, thread_ts: threadTs } = message.data;
    if (message.data.channel_type === 'im') {
      if (!(await claim(envelope.event_id, message.data))) return;
      await answer(dmKey(team, message.data.user), message.data, { kind: 'post', channel, threadTs });
      return;
    }
    // In channels the bot speaks only in threads it was mentioned in; top-level messages are app_mention's.
    if (threadTs === undefined || threadTs === ts) return;
    const conversation = threadKey(team, channel, threadTs);
    if ((await store.get(threadMemoryKey(conversation))) === undefined) return;
    if (!(await claim(envelope.event_id, message.data))) return;
    await rememberThread(conversation);
    await answer(conversation, message.data, { kind: 'post', channel, threadTs });
  });

  app.command('/ups', async ({ command, ack }) => {
    await ack();
    const destination: Destination = { kind: 'respond', responseUrl: command.response_url };
    const text = cleanIncomingText(command.text);
    if (text === '') {
      await runner.deliver(renderReply(engine.welcome('ja'), 'ja'), destination).catch((err: unknown) => {
        logger.error({ err }, 'slack slash-command menu could not be sent');
      });
      return;
    }
    // The slash command is a private exchange with the asker: it shares the DM conversation.
    await runner.run({ conversation: dmKey(command.team_id, command.user_id), text, destination });
  });

  app.action({ type: 'block_actions', action_id: CHOICE_ACTION_ID }, async ({ ack, body }) => {
    await ack();
    const parsed = BlockActionBody.safeParse(body);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'slack block_actions payload not understood');
      return;
    }
    const click = parsed.data;
    const action = click.actions[0]!;
    const choice = action.value;
    if (choice === undefined) return;
    const team = click.team?.id ?? click.user.team_id ?? 'unknown';
    const user = click.user.id;
    const label = action.text?.text ?? choice;

    if (click.container.type === 'view') {
      // App Home menu: answer in the user's DM with the app; the menu itself stays.
      await runner.run({ conversation: dmKey(team, user), choice, destination: { kind: 'post', channel: user, threadTs: undefined } });
      return;
    }

    const channel = click.container.channel_id ?? click.channel?.id;
    const messageTs = click.container.message_ts ?? click.message?.ts;
    if (channel === undefined || messageTs === undefined) return;
    // One answer per message: a second click (or a click by someone else) on the same buttons is ignored.
    if (!(await store.setIfAbsent(`slack:clicked:${channel}:${messageTs}`, { user, choice }, DELIVERY_TTL_SECONDS))) return;

    const chosen = markChosen(click.message?.blocks ?? [], label);
    const responseUrl = click.container.is_ephemeral === true ? click.response_url : undefined;
    const threadTs = click.container.thread_ts ?? click.message?.thread_ts;
    const isDm = channel.startsWith('D');
    const conversation = responseUrl !== undefined || isDm ? dmKey(team, user) : threadKey(team, channel, threadTs ?? messageTs);
    const destination: Destination =
      responseUrl !== undefined
        ? { kind: 'respond', responseUrl }
        : { kind: 'post', channel, threadTs: isDm ? threadTs : (threadTs ?? messageTs) };
    try {
      if (responseUrl !== undefined) await runner.respond(responseUrl, { replace_original: true, text: label, blocks: chosen });
      else await client.chat.update({ channel, ts: messageTs, text: click.message?.text ?? label, blocks: chosen });
    } catch (err) {
      // The dialog goes on even when the old buttons could not be removed; the claim above still guards them.
      logger.error({ err, channel }, 'slack could not update the clicked message');
    }
    await runner.run({ conversation, choice, destination });
  });

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const team = Envelope.parse(body).team_id ?? 'unknown';
    try {
      const welcome = engine.welcome('ja');
      const view = renderHomeView(welcome, welcome.handoff ?? (await callCenter(team, event.user)), 'ja');
      await client.views.publish({ user_id: event.user, view });
    } catch (err) {
      logger.error({ err, team }, 'slack App Home could not be published');
    }
  });
}
