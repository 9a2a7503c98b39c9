// The Slack channel through its real entry point: the shared Express server listening on
// port 0 with the channel mounted, signed requests in, a loopback fake Slack Web API out.
import { pino } from 'pino';
import type { Logger } from '../../../src/logger.ts';
import { createSlackChannel } from '../../../src/channels/slack/index.ts';
import type { Channel } from '../../../src/channels/channel.ts';
import { buildEngine } from '../../../src/core/index.ts';
import type { Engine } from '../../../src/core/engine.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { MemoryStore } from '../../../src/core/store/memory-store.ts';
import type { KeyValueStore } from '../../../src/core/store/store.ts';
import { createServer, type Server } from '../../../src/server.ts';
import { FakeSlack, fixture, fixtureText, postToSlackEndpoint, type SignedPostOptions } from './fake-slack.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
/** A weekday morning in Tokyo: the call center is open. */
export const NOW = new Date('2026-11-27T10:00:00+09:00');

export interface EngineCall {
  turn: Turn;
  replies: Reply[];
}

export interface Harness {
  fake: FakeSlack;
  server: Server;
  channel: Channel;
  eventsUrl: string;
  /** Every turn the engine handled, with its replies. */
  engineCalls: EngineCall[];
  post(rawBody: string, options?: Partial<SignedPostOptions>): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** auth.test fails like this (every time) from the start. */
  failAuthTest?: { status: number; retryAfter?: number };
  /** Where the channel logs; silent by default. */
  logger?: Logger;
  /** The channel's store (delivery claims, threads); a fresh memory store by default. */
  store?: KeyValueStore;
}

export async function startHarness(engineOverride?: Engine, options?: HarnessOptions): Promise<Harness>;
export async function startHarness(options: HarnessOptions): Promise<Harness>;
export async function startHarness(first?: Engine | HarnessOptions, second: HarnessOptions = {}): Promise<Harness> {
  const engineOverride = first !== undefined && 'handle' in first ? first : undefined;
  const options = first !== undefined && !('handle' in first) ? first : second;
  const fake = new FakeSlack();
  await fake.start();
  if (options.failAuthTest) fake.failAlways('auth.test', options.failAuthTest);
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const store = options.store ?? new MemoryStore();
  const inner = engineOverride ?? (await buildEngine({ store, clock: () => NOW, logger }));
  const engineCalls: EngineCall[] = [];
  const engine: Engine = {
    async handle(turn) {
      const result = await inner.handle(turn);
      engineCalls.push({ turn, replies: result.replies });
      return result;
    },
    welcome: (lang, now) => inner.welcome(lang, now ?? NOW),
    failureReply: (lang, now) => inner.failureReply(lang, now ?? NOW),
  };
  const channel = createSlackChannel({
    config: { mode: 'http', signingSecret: SIGNING_SECRET, botToken: 'xoxb-test-token', appToken: undefined, apiUrl: fake.apiUrl },
    engine,
    logger,
    store,
    // Short, so a failing fake cannot hang a test.
    retry: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 },
  });
  const server = createServer({ config: { port: 0, host: '127.0.0.1' }, channels: [channel], logger, isReady: () => true });
  await channel.start?.();
  const base = await server.listen();
  const eventsUrl = new URL('/slack/events', base).toString();
  return {
    fake,
    server,
    channel,
    eventsUrl,
    engineCalls,
    post: (rawBody, options = {}) => postToSlackEndpoint(eventsUrl, rawBody, { secret: SIGNING_SECRET, ...options }),
    async close() {
      await server.close();
      await fake.stop();
    },
  };
}

/** True while src/core/index.ts still returns the echoing stub instead of the real engine. */
export async function engineIsStub(): Promise<boolean> {
  const engine = await buildEngine({ clock: () => NOW });
  const {
    replies: [reply],
  } = await engine.handle({ conversation: 'slack-test:probe', text: 'hello' });
  return reply?.text.startsWith('stub:') ?? false;
}

let sequence = 0;

/** A fresh Slack message timestamp, so that tests never share a delivery or a thread. */
export function nextTs(): string {
  sequence += 1;
  return `${1764150000 + sequence}.${String(sequence).padStart(6, '0')}`;
}

export function nextTriggerId(): string {
  sequence += 1;
  return `13345224609.${738474920 + sequence}.${String(sequence).padStart(6, '0')}d88f008e0`;
}

/** The /ups slash command form (fixture slash_command.txt) with a fresh trigger_id. */
export function slashCommand(responseUrl: string, text = '', user = 'U0ALICE01'): string {
  const form = new URLSearchParams(fixtureText('slash_command.txt'));
  form.set('response_url', responseUrl);
  form.set('text', text);
  form.set('user_id', user);
  form.set('trigger_id', nextTriggerId());
  return form.toString();
}

export function nextEventId(): string {
  sequence += 1;
  return `Ev0TEST${String(sequence).padStart(5, '0')}`;
}

// Fixture payloads are real Slack JSON; tests poke at them freely.
type Envelope = any;

/** An app_mention in #general starting a new thread (or inside `threadTs`). */
export function mention(text: string, extra: { threadTs?: string; ts?: string; user?: string } = {}): Envelope {
  const envelope = fixture('app_mention.json');
  const ts = extra.ts ?? nextTs();
  envelope.event_id = nextEventId();
  envelope.event.ts = ts;
  envelope.event.event_ts = ts;
  envelope.event.text = `<@U0BOT0001> ${text}`;
  if (extra.user) envelope.event.user = extra.user;
  if (extra.threadTs) envelope.event.thread_ts = extra.threadTs;
  return envelope;
}

/** A plain message in a channel thread (message.channels). */
export function threadMessage(text: string, threadTs: string, ts = nextTs()): Envelope {
  const envelope = fixture('message_channels.json');
  envelope.event_id = nextEventId();
  Object.assign(envelope.event, { ts, event_ts: ts, text, thread_ts: threadTs });
  return envelope;
}

export function directMessage(text: string, user = 'U0ALICE01'): Envelope {
  const envelope = fixture('message_im.json');
  const ts = nextTs();
  envelope.event_id = nextEventId();
  Object.assign(envelope.event, { ts, event_ts: ts, text, user });
  return envelope;
}

/** The block_actions payload Slack sends when `button` of a posted message is clicked. */
export function click(message: { channel: string; ts: string; threadTs?: string; blocks: any[]; text: string }, button: any, responseUrl: string): string {
  const payload = fixture('block_actions.json');
  payload.container = { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) };
  payload.channel = { id: message.channel, name: message.channel.startsWith('D') ? 'directmessage' : 'general' };
  payload.message = { ...payload.message, ts: message.ts, text: message.text, blocks: message.blocks, ...(message.threadTs ? { thread_ts: message.threadTs } : {}) };
  if (!message.threadTs) delete payload.message.thread_ts;
  payload.response_url = responseUrl;
  // Every click is its own user action, with its own trigger_id.
  payload.trigger_id = nextTriggerId();
  payload.actions = [{ ...payload.actions[0], action_id: button.action_id, block_id: 'ups_choices_0', text: button.text, value: button.value }];
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export const json = (envelope: unknown): string => JSON.stringify(envelope);
