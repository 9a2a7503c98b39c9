// Microsoft Teams (and the Microsoft 365 Agents Playground): POST /api/messages on the shared
// server. Before the SDK runs, the route bounds the work (activities in flight, requests per
// caller), accepts only JSON, serves anonymous mode only to this machine, lets the SDK check
// the token, and validates the body; every connector call of a turn ends by its deadline.
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { TeamsConfig } from '../../config.ts';
import type { Engine } from '../../core/engine.ts';
import { MemoryStore } from '../../core/store/memory-store.ts';
import type { KeyValueStore } from '../../core/store/store.ts';
import type { Logger } from '../../logger.ts';
import type { Channel } from '../channel.ts';
import { clientKey, createRateLimiter } from '../web/rate-limit.ts';
import { describeInvalidActivity, IncomingActivitySchema, isLoopbackAddress, isLoopbackServiceUrl } from './activity.ts';
import { createBotTransport, describeError, TeamsUnavailableError, type BotTransport } from './adapter.ts';
import { createTeamsBot } from './bot.ts';
import { startDeadline } from './deadline.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';

export { renderMessage, renderAdaptiveCard, renderPlainText } from './render.ts';

export const TEAMS_MESSAGES_PATH = '/api/messages';
// Bot Framework activities are small; a card submit with its data stays far below this.
const MAX_BODY = '256kb';
// What a refused caller is told to wait: activities in flight finish within the turn timeout.
const BUSY_RETRY_AFTER_SECONDS = 5;
const SUMMARY_INTERVAL_MS = 60_000;
// At shutdown, connector calls still waiting after this long are aborted (a healthy Bot
// Connector answers in well under a second; a hanging one must not hold the drain).
const SHUTDOWN_GRACE_MS = 1_000;

export interface TeamsChannelOptions {
  config: TeamsConfig;
  engine: Engine;
  logger: Logger;
  /** Welcome-once, delivery de-duplication and the last buttons; share Redis across instances. */
  store?: KeyValueStore;
  /** Connector retry; tests pass a short one. */
  retry?: Partial<RetryPolicy>;
  /** The caller's address; the TCP peer unless a test injects another. */
  remoteAddressOf?: (req: Request) => string | undefined;
  /** Typing indicator timing; see TeamsBotOptions. */
  typing?: { afterMs?: number; intervalMs?: number };
  /** The process's shutdown cut (src/shutdown.ts): connector calls still running are aborted then. */
  shutdown?: AbortSignal;
}

export function createTeamsChannel(options: TeamsChannelOptions): Channel {
  const { config, engine } = options;
  const logger = options.logger.child({ channel: 'teams' });
  const store = options.store ?? new MemoryStore();
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const remoteAddressOf = options.remoteAddressOf ?? ((req: Request) => req.socket.remoteAddress);
  const bot = createTeamsBot({ engine, store, logger, typingAfterMs: options.typing?.afterMs, typingIntervalMs: options.typing?.intervalMs });
  let transport: BotTransport;
  try {
    transport = createBotTransport({ config, logger, retry, handlers: bot, connectorTimeoutMs: config.connectorTimeoutMs });
  } catch (err) {
    if (!(err instanceof TeamsUnavailableError)) throw err;
    return unavailableChannel(logger, err);
  }
  const limiter = createRateLimiter(config.rateLimitPerMinute);
  const parseJson = jsonParser();
  // Aborted a second into the drain, and at stop(): every connector call and retry wait still
  // running ends (the process-wide cut, options.shutdown, comes later and ends them too).
  const shutdown = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const busy = summary(logger, 'Teams activities refused: too many in flight (503)', { maxInFlight: config.maxInFlight });
  const limited = summary(logger, 'Teams activities refused: caller over its rate limit (429)', { perMinute: config.rateLimitPerMinute });
  let stopping = false;

  if (config.anonymous) {
    logger.warn(
      'Teams channel runs without credentials (anonymous): requests are not authenticated, so only callers on this machine ' +
        'with loopback serviceUrls (localhost, 127.0.0.0/8, [::1]) are served. Fine for the Agents Playground, not for Teams.',
    );
  }

  async function handle(req: Request, res: Response): Promise<void> {
    if (stopping) return sendError(res, 503, 'stopping', 'The bot is shutting down', BUSY_RETRY_AFTER_SECONDS);
    // Cheapest checks first: a flood is refused before any body is read.
    if (inFlight.size >= config.maxInFlight) {
      busy.count();
      return sendError(res, 503, 'busy', 'Too many activities in progress; retry later', BUSY_RETRY_AFTER_SECONDS);
    }
    const caller = remoteAddressOf(req) ?? 'unknown';
    // An IPv4 address or an IPv6 /64, as for the web chat.
    const decision = limiter.take(clientKey(caller));
    if (!decision.ok) {
      limited.count(caller);
      return sendError(res, 429, 'rate_limited', 'Too many requests', decision.retryAfterSeconds);
    }
    // Any web page can POST text/plain cross-site without a preflight; JSON it cannot.
    if (!req.is('application/json')) return sendError(res, 415, 'unsupported_media_type', 'Send the activity as application/json');
    if (config.anonymous && !isLoopbackAddress(caller)) {
      logger.warn({ caller }, 'anonymous mode: caller not on this machine refused');
      return sendError(res, 403, 'caller_not_allowed', 'Without credentials only callers on this machine are served');
    }
    const work = serve(req, res).catch((err: unknown) => {
      logger.error({ err: describeError(err) }, 'Teams request failed');
      if (!res.headersSent) sendError(res, 500, 'internal', 'Internal server error');
    });
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  }

  async function serve(req: Request, res: Response): Promise<void> {
    const auth = await transport.authenticate(req);
    if (!auth.ok) {
      logger.warn({ reason: auth.reason, status: auth.status }, 'Teams request not authenticated');
      return sendError(res, auth.status, 'unauthorized', 'A valid Bot Framework token is required');
    }
    if (!(await parseJson(req, res))) return;
    const parsed = IncomingActivitySchema.safeParse(req.body);
    if (!parsed.success) return rejectActivity(res, describeInvalidActivity(parsed.error));
    if (config.anonymous && !isLoopbackServiceUrl(parsed.data.serviceUrl)) {
      logger.warn({ serviceUrl: parsed.data.serviceUrl }, 'anonymous mode: non-loopback serviceUrl refused');
      return sendError(res, 403, 'service_url_not_allowed', 'Without credentials only loopback serviceUrls are accepted');
    }
    const deadline = startDeadline(config.turnTimeoutMs, shutdown.signal, options.shutdown);
    try {
      const outcome = await transport.process(req, res, deadline.signal, parsed.data);
      if (outcome !== undefined) rejectActivity(res, outcome.rejected);
    } finally {
      deadline.done();
    }
  }

  function rejectActivity(res: Response, reason: string): void {
    logger.warn({ reason }, 'malformed activity rejected');
    sendError(res, 400, 'invalid_activity', reason);
  }

  return {
    name: 'teams',
    mount(app: Express) {
      app.post(TEAMS_MESSAGES_PATH, (req, res) => void handle(req, res));
    },
    drain() {
      setTimeout(() => shutdown.abort(new Error('shutting down')), SHUTDOWN_GRACE_MS).unref();
    },
    async stop() {
      stopping = true;
      shutdown.abort(new Error('shutting down'));
      await Promise.allSettled([...inFlight]);
      busy.flush();
      limited.flush();
    },
  };
}

/**
 * NODE_ENV=production without credentials: the SDK will not run anonymously, so the route
 * answers 503 and the start log says what to set; the other channels are unaffected.
 */
function unavailableChannel(logger: Logger, err: TeamsUnavailableError): Channel {
  logger.warn(
    { reason: err.message },
    'Teams channel off: NODE_ENV=production needs credentials (set clientId + clientSecret, or MicrosoftAppId + MicrosoftAppPassword); POST /api/messages answers 503',
  );
  return {
    name: 'teams',
    mount(app: Express) {
      app.post(TEAMS_MESSAGES_PATH, (_req, res) => sendError(res, 503, 'teams_unavailable', 'The Teams channel needs credentials in production'));
    },
    async stop() {},
  };
}

/** Our own parser: the shared app may or may not parse JSON globally (if it did, this is a no-op). */
function jsonParser(): (req: Request, res: Response) => Promise<boolean> {
  const parser: RequestHandler = express.json({ limit: MAX_BODY, type: 'application/json' });
  return (req, res) =>
    new Promise<boolean>((resolve) => {
      parser(req, res, (err?: unknown) => {
        if (err === undefined || err === null) return resolve(true);
        const { status, type } = err as { status?: unknown; type?: unknown };
        if (type === 'entity.too.large') sendError(res, 413, 'payload_too_large', 'Request body is too large');
        else sendError(res, typeof status === 'number' && status >= 400 && status < 500 ? status : 400, 'invalid_json', 'Request body is not valid JSON');
        resolve(false);
      });
    });
}

/** Counts refusals and logs at most one line a minute about them, not one per request. */
function summary(logger: Logger, message: string, fields: Record<string, unknown>) {
  let refused = 0;
  let lastLoggedAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const callers = new Set<string>();
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (refused === 0) return;
    logger.warn({ ...fields, refused, ...(callers.size > 0 ? { callers: [...callers].slice(0, 10) } : {}) }, message);
    refused = 0;
    callers.clear();
    lastLoggedAt = Date.now();
  };
  return {
    count(caller?: string) {
      refused++;
      if (caller !== undefined && callers.size < 10) callers.add(caller);
      const sinceLog = Date.now() - lastLoggedAt;
      if (sinceLog >= SUMMARY_INTERVAL_MS) flush();
      else if (timer === undefined) timer = setTimeout(flush, SUMMARY_INTERVAL_MS - sinceLog).unref();
    },
    flush,
  };
}

function sendError(res: Response, status: number, code: string, message: string, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) res.set('Retry-After', String(retryAfterSeconds));
  res.status(status).json({ error: { code, message } });
}
