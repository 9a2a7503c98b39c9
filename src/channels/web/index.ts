// The web chat channel: the static page in public/ and a small JSON API for it.
//   GET  /api/chat/welcome?locale=ja|en  → {lang, replies}
//   POST /api/chat {conversation, text|choice, locale} → {conversation, lang, replies}
// Transport only: the engine decides what to say, render.ts words the labels.
import { projectPath } from '../../core/paths.ts';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Channel } from '../channel.ts';
import type { Config } from '../../config.ts';
import type { Engine } from '../../core/engine.ts';
import { LANGS } from '../../core/turn.ts';
import type { Logger } from '../../logger.ts';
import { sendJsonError } from '../../server.ts';
import { createRateLimiter } from './rate-limit.ts';
import { renderForWeb } from './render.ts';

export interface WebChannelOptions {
  config: Pick<Config, 'webRateLimitPerMinute' | 'logUserText'>;
  engine: Engine;
  logger: Logger;
}

const PUBLIC_DIR = projectPath('src/channels/web/public');
const BODY_LIMIT = '16kb';

/** The browser picks the id; the `web:` prefix keeps it from naming a Slack or Teams conversation. */
const ChatRequestSchema = z
  .object({
    conversation: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'),
    // No length cap of its own: the 16 KB body limit bounds it, and the engine cuts long text with a note.
    text: z.string().trim().min(1).optional(),
    choice: z.string().min(1).max(100).optional(),
    locale: z.enum(LANGS).optional(),
  })
  .refine((r) => (r.text === undefined) !== (r.choice === undefined), { message: 'send either text or choice' });

const WelcomeQuerySchema = z.object({ locale: z.enum(LANGS).catch('ja') });

export function createWebChannel({ config, engine, logger: parentLogger }: WebChannelOptions): Channel {
  const logger = parentLogger.child({ channel: 'web' });
  const limiter = createRateLimiter(config.webRateLimitPerMinute);
  const inFlight = new Set<Promise<unknown>>();

  const welcome = (req: Request, res: Response): void => {
    const { locale: lang } = WelcomeQuerySchema.parse(req.query);
    res.set('Cache-Control', 'no-store').json({ lang, replies: [renderForWeb(engine.welcome(lang), lang)] });
  };

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
    const { conversation, text, choice, locale } = parsed.data;
    const started = Date.now();
    // The page's language is a preference; the engine decides and the page follows its `lang`.
    const turn = engine.handle({ conversation: `web:${conversation}`, text, choice, locale: locale ?? 'ja' });
    inFlight.add(turn);
    try {
      const { lang, replies } = await turn;
      // The engine writes the per-turn info line; this is the channel's view, for debugging.
      logger.debug(
        { conversation, choice, text: config.logUserText ? text : undefined, intents: replies.map((r) => r.intent), ms: Date.now() - started },
        'turn',
      );
      res.set('Cache-Control', 'no-store').json({ conversation, lang, replies: replies.map((r) => renderForWeb(r, lang)) });
    } catch (err) {
      logger.error({ err, conversation }, 'turn failed');
      // Like Slack and Teams: the apology and the call-center box, in the page's language.
      const lang = locale ?? 'ja';
      res.status(500).set('Cache-Control', 'no-store').json({
        error: { code: 'turn_failed', message: 'The bot could not answer this message' },
        conversation,
        lang,
        replies: [renderForWeb(engine.failureReply(lang), lang)],
      });
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
          const decision = limiter.take(req.ip ?? 'unknown');
          if (decision.ok) return next();
          res.set('Retry-After', String(decision.retryAfterSeconds));
          sendJsonError(res, 429, 'rate_limited', `Too many messages; retry in ${decision.retryAfterSeconds} s`);
        },
        express.json({ limit: BODY_LIMIT }),
        chat,
      );
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
