// The web chat channel: the static page in public/ and a small JSON API for it.
//   GET  /api/chat/welcome?locale=ja|en  → {lang, replies}
//   POST /api/chat {conversation?, text|choice, locale} → {conversation, lang, replies}
// Transport only: the engine decides what to say, render.ts words the labels.
//
// Conversation ids are issued here, never chosen by the browser: an id is a bearer token
// (whoever has it continues the conversation and hears its handoff summary), so it carries
// 192 random bits and only ids this server issued and still remembers are honoured. A
// request without one, or with one the server does not know, opens a new conversation and
// the answer names its id. New conversations are rationed per client (IPv4 address or IPv6
// /64) and, through the store's budgets, per channel.
import { randomBytes } from 'node:crypto';
import { projectPath } from '../../core/paths.ts';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Channel } from '../channel.ts';
import type { Config } from '../../config.ts';
import type { Engine } from '../../core/engine.ts';
import { detectLang } from '../../core/lang.ts';
import { MemoryStore } from '../../core/store/memory-store.ts';
import { StoreUnavailableError, type KeyValueStore } from '../../core/store/store.ts';
import { LANGS, type Lang } from '../../core/turn.ts';
import type { Logger } from '../../logger.ts';
import { sendJsonError } from '../../server.ts';
import { clientKey, createRateLimiter } from './rate-limit.ts';
import { renderForWeb } from './render.ts';

export interface WebChannelOptions {
  config: Pick<Config, 'webRateLimitPerMinute' | 'logUserText'> & Partial<Pick<Config, 'webNewConversationsPerHour' | 'stateTtlSeconds'>>;
  engine: Engine;
  logger: Logger;
  /** Where issued conversation ids are remembered; share Redis across instances. */
  store?: KeyValueStore;
}

const PUBLIC_DIR = projectPath('src/channels/web/public');
const BODY_LIMIT = '16kb';
const SESSION_PREFIX = 'web:session:';
const ID_BYTES = 24;

interface Session {
  /** When the session's TTL was last pushed forward (ms since the epoch). */
  touchedAt: number;
}

const ChatRequestSchema = z
  .object({
    /** An id this server issued; absent for a new conversation. The `web:` prefix keeps it from naming a Slack or Teams conversation. */
    conversation: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -').optional(),
    // No length cap of its own: the 16 KB body limit bounds it, and the engine cuts long text with a note.
    text: z.string().trim().min(1).optional(),
    choice: z.string().min(1).max(100).optional(),
    locale: z.enum(LANGS).optional(),
  })
  .refine((r) => (r.text === undefined) !== (r.choice === undefined), { message: 'send either text or choice' });

const WelcomeQuerySchema = z.object({ locale: z.enum(LANGS).catch('ja') });

export function createWebChannel({ config, engine, logger: parentLogger, store = new MemoryStore() }: WebChannelOptions): Channel {
  const logger = parentLogger.child({ channel: 'web' });
  const limiter = createRateLimiter(config.webRateLimitPerMinute);
  const newConversations = createRateLimiter(config.webNewConversationsPerHour ?? 60, Date.now, 3_600_000);
  const ttlSeconds = config.stateTtlSeconds ?? 24 * 3600;
  const inFlight = new Set<Promise<unknown>>();

  const welcome = (req: Request, res: Response): void => {
    const { locale: lang } = WelcomeQuerySchema.parse(req.query);
    res.set('Cache-Control', 'no-store').json({ lang, replies: [renderForWeb(engine.welcome(lang), lang)] });
  };

  /** True when this server issued the id and has not forgotten it; pushes its expiry forward now and then. */
  async function known(id: string): Promise<boolean> {
    const session = await store.get<Session>(`${SESSION_PREFIX}${id}`);
    if (session === undefined) return false;
    // Refreshing on every turn would double the writes; a tenth of the TTL late is close enough.
    if (Date.now() - (session.touchedAt ?? 0) > (ttlSeconds * 1000) / 10) {
      await store.set(`${SESSION_PREFIX}${id}`, { touchedAt: Date.now() } satisfies Session, ttlSeconds);
    }
    return true;
  }

  type Opened = { ok: true; id: string } | { ok: false; reason: 'quota'; retryAfterSeconds: number } | { ok: false; reason: 'full' };

  async function open(client: string): Promise<Opened> {
    const decision = newConversations.take(client);
    if (!decision.ok) return { ok: false, reason: 'quota', retryAfterSeconds: decision.retryAfterSeconds };
    const id = randomBytes(ID_BYTES).toString('base64url');
    try {
      await store.setIfAbsent(`${SESSION_PREFIX}${id}`, { touchedAt: Date.now() } satisfies Session, ttlSeconds);
    } catch (err) {
      logger.warn({ err }, 'web conversation refused: the store is full or unavailable');
      return { ok: false, reason: 'full' };
    }
    return { ok: true, id };
  }

  const chat = async (req: Request, res: Response): Promise<void> => {
    if (!req.is('application/json')) {
      return sendJsonError(res, 415, 'unsupported_media_type', 'Send the request as application/json');
    }
    const parsed = ChatRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || 'body';
      return sendJsonError(res, 400, 'invalid_request', `${field}: ${issue.message}`);
    }
    const { text, choice, locale } = parsed.data;
    const lang: Lang = text === undefined ? (locale ?? 'ja') : detectLang(text, locale ?? 'ja');
    let conversation = parsed.data.conversation;
    try {
      if (conversation !== undefined && !(await known(conversation))) {
        logger.info({ conversation: `web:${conversation}` }, 'unknown web conversation id; opening a new conversation');
        conversation = undefined;
      }
    } catch (err) {
      // The store is down: the engine's turn below fails too, with the polite "temporarily unavailable" reply.
      if (!(err instanceof StoreUnavailableError)) throw err;
    }
    if (conversation === undefined) {
      const opened = await open(clientKey(req.ip ?? req.socket.remoteAddress));
      if (!opened.ok && opened.reason === 'quota') {
        res.set('Retry-After', String(opened.retryAfterSeconds));
        return sendJsonError(res, 429, 'rate_limited', `Too many new conversations; retry in ${opened.retryAfterSeconds} s`);
      }
      if (!opened.ok) {
        // Refused politely: the apology with the call center, and no conversation to continue.
        res.set('Cache-Control', 'no-store').json({ conversation: null, lang, replies: [renderForWeb(engine.failureReply(lang), lang)] });
        return;
      }
      conversation = opened.id;
    }
    const key = `web:${conversation}`;
    const started = Date.now();
    const turn = engine.handle({ conversation: key, text, choice, locale: lang });
    inFlight.add(turn);
    try {
      const replies = await turn;
      // The engine writes the per-turn info line; this is the channel's view, for debugging.
      logger.debug(
        { conversation: key, choice, text: config.logUserText ? text : undefined, intents: replies.map((r) => r.intent), ms: Date.now() - started },
        'turn',
      );
      res.set('Cache-Control', 'no-store').json({ conversation, lang, replies: replies.map((r) => renderForWeb(r, lang)) });
    } catch (err) {
      logger.error({ err, conversation: key }, 'turn failed');
      sendJsonError(res, 500, 'turn_failed', 'The bot could not answer this message');
    } finally {
      inFlight.delete(turn);
    }
  };

  return {
    name: 'web',
    mount(app) {
      app.use(express.static(PUBLIC_DIR, { index: 'index.html', setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
      app.get('/api/chat/welcome', welcome);
      app.post(
        '/api/chat',
        (req, res, next) => {
          const decision = limiter.take(clientKey(req.ip ?? req.socket.remoteAddress));
          if (decision.ok) return next();
          res.set('Retry-After', String(decision.retryAfterSeconds));
          sendJsonError(res, 429, 'rate_limited', `Too many messages; retry in ${decision.retryAfterSeconds} s`);
        },
        express.json({ limit: BODY_LIMIT }),
        (req, res, next) => void chat(req, res).catch(next),
      );
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
