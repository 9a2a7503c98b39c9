// What the Teams channel does with each activity: a message becomes one engine turn and its
// replies become cards; the bot joining a conversation gets one welcome. No wording here.
import type { Engine } from '../../core/engine.ts';
import type { Choice } from '../../core/reply.ts';
import type { KeyValueStore } from '../../core/store/store.ts';
import type { Lang, Turn } from '../../core/turn.ts';
import type { Logger } from '../../logger.ts';
import { activityLocale, langOfLocale, type IncomingActivity } from './activity.ts';
import { describeError, type TurnHandlers, type TurnIO } from './adapter.ts';
import { cleanMessageText } from './mentions.ts';
import { renderMessage } from './render.ts';

export interface TeamsBotOptions {
  engine: Engine;
  store: KeyValueStore;
  logger: Logger;
  /** How long the last buttons of a channel thread or group chat stay clickable by typing their label. */
  choicesTtlSeconds?: number;
  /**
   * A turn that takes longer than this gets "typing…" (fast turns need none, and the answer
   * never waits for the indicator); Teams shows it for about three seconds, so it is repeated.
   */
  typingAfterMs?: number | undefined;
  typingIntervalMs?: number | undefined;
}

// The channel's own keys in the shared store, apart from the engine's conversation state.
const KEY_PREFIX = 'channel:teams:';
// Teams re-delivers an activity it thinks timed out; ten minutes covers its retries.
const SEEN_TTL_SECONDS = 600;
// "Once per conversation": a year is as good as forever for a welcome.
const WELCOMED_TTL_SECONDS = 365 * 24 * 3600;
const GROUP_CONVERSATION_TYPES = new Set(['channel', 'groupChat']);

export function conversationKey(activity: IncomingActivity): string {
  return `teams:${activity.conversation.id}`;
}

export function createTeamsBot(options: TeamsBotOptions): TurnHandlers {
  const { engine, store, logger } = options;
  const choicesTtlSeconds = options.choicesTtlSeconds ?? 24 * 3600;
  const typingAfterMs = options.typingAfterMs ?? 1_000;
  const typingIntervalMs = options.typingIntervalMs ?? 3_000;

  async function onMessage(io: TurnIO): Promise<void> {
    const activity = io.activity;
    const conversation = conversationKey(activity);
    if (!(await firstDelivery(activity))) {
      logger.info({ conversation, activityId: activity.id }, 'duplicate delivery ignored');
      return;
    }
    const locale = langOfLocale(activityLocale(activity));
    const input = await understandInput(activity, conversation);
    if (input === 'ignore') return;
    if (input === 'welcome') {
      await io.send(renderMessage(engine.welcome(locale ?? 'ja'), locale ?? 'ja'));
      return;
    }
    const turn: Turn = { conversation, ...input, ...(locale ? { locale } : {}) };
    const { lang, replies } = await whileTyping(io, () => engine.handle(turn));
    if (inGroup(activity)) await rememberChoices(conversation, replies.flatMap((r) => r.choices));
    // The engine writes the per-turn info line; this is the channel's view, for debugging.
    logger.debug(
      { conversation, kind: input.choice !== undefined ? 'choice' : 'text', intents: replies.map((r) => r.intent), replies: replies.length },
      'Teams turn answered',
    );
    for (const reply of replies) await io.send(renderMessage(reply, lang));
  }

  /**
   * A card click carries its choice id. A typed or imBack'ed button label goes to the engine
   * as text, which takes it as that button (it knows what it offered last). In channels and
   * group chats only messages that mention the bot are for it, except a label of the buttons
   * it posted there: the channel keeps those labels itself, since it must decide before the
   * engine is asked.
   */
  async function understandInput(activity: IncomingActivity, conversation: string): Promise<Pick<Turn, 'text' | 'choice'> | 'ignore' | 'welcome'> {
    const choice = choiceOfValue(activity.value);
    if (choice !== undefined) return { choice };
    const { text, mentionsBot } = cleanMessageText(activity);
    if (inGroup(activity) && !mentionsBot) {
      const pending = text === '' ? undefined : await choiceOfLabel(conversation, text);
      return pending === undefined ? 'ignore' : { choice: pending };
    }
    return text === '' ? 'welcome' : { text };
  }

  async function onConversationUpdate(io: TurnIO): Promise<void> {
    const activity = io.activity;
    const botId = activity.recipient?.id;
    if (botId === undefined || !(activity.membersAdded ?? []).some((m) => m.id === botId)) return;
    const first = await store.setIfAbsent(`${KEY_PREFIX}welcomed:${activity.conversation.id}`, true, WELCOMED_TTL_SECONDS);
    if (!first) return;
    const lang: Lang = langOfLocale(activityLocale(activity)) ?? 'ja';
    await io.send(renderMessage(engine.welcome(lang), lang));
    logger.info({ conversation: conversationKey(activity) }, 'Teams welcome sent');
  }

  async function firstDelivery(activity: IncomingActivity): Promise<boolean> {
    if (activity.id === undefined) return true;
    try {
      return await store.setIfAbsent(`${KEY_PREFIX}seen:${activity.conversation.id}:${activity.id}`, true, SEEN_TTL_SECONDS);
    } catch (err) {
      // Answering twice is better than not answering.
      logger.warn({ err }, 'delivery de-duplication unavailable');
      return true;
    }
  }

  async function rememberChoices(conversation: string, choices: Choice[]): Promise<void> {
    try {
      if (choices.length === 0) await store.delete(`${KEY_PREFIX}choices:${conversation}`);
      else await store.set(`${KEY_PREFIX}choices:${conversation}`, choices, choicesTtlSeconds);
    } catch (err) {
      logger.warn({ err }, 'could not remember the offered choices');
    }
  }

  async function choiceOfLabel(conversation: string, text: string): Promise<string | undefined> {
    try {
      const choices = (await store.get<Choice[]>(`${KEY_PREFIX}choices:${conversation}`)) ?? [];
      const wanted = normaliseLabel(text);
      return choices.find((c) => normaliseLabel(c.label) === wanted)?.id;
    } catch (err) {
      logger.warn({ err }, 'could not read the offered choices');
      return undefined;
    }
  }

  /** Sent only while a turn is slow, and never awaited: a stuck connector cannot delay the answer. */
  async function whileTyping<T>(io: TurnIO, work: () => Promise<T>): Promise<T> {
    let interval: NodeJS.Timeout | undefined;
    const typing = () => void io.sendTyping().catch((err: unknown) => logger.debug({ err: describeError(err) }, 'typing indicator not sent'));
    const first = setTimeout(() => {
      typing();
      interval = setInterval(typing, typingIntervalMs).unref();
    }, typingAfterMs).unref();
    try {
      return await work();
    } finally {
      clearTimeout(first);
      clearInterval(interval);
    }
  }

  return {
    async onTurn(io) {
      if (io.activity.type === 'message') await onMessage(io);
      else if (io.activity.type === 'conversationUpdate') await onConversationUpdate(io);
    },
    async onTurnError(io, error) {
      logger.error({ err: describeError(error), conversation: conversationKey(io.activity), type: io.activity.type }, 'Teams turn failed');
      if (io.activity.type !== 'message') return;
      const lang = langOfLocale(activityLocale(io.activity)) ?? 'ja';
      try {
        // Rendered like any reply: the words and the call-center box come from the engine.
        await io.send(renderMessage(engine.failureReply(lang), lang));
      } catch (err) {
        logger.error({ err: describeError(err) }, 'could not send the apology');
      }
    },
  };
}

function inGroup(activity: IncomingActivity): boolean {
  return GROUP_CONVERSATION_TYPES.has(activity.conversation.conversationType ?? '');
}

function choiceOfValue(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const choice = (value as { choice?: unknown }).choice;
  return typeof choice === 'string' && choice.length > 0 && choice.length <= 200 ? choice : undefined;
}

function normaliseLabel(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
