// Microsoft Teams (and the Bot Framework Emulator): POST /api/messages on the shared server.
// The route checks the body and, without credentials, the serviceUrl before the SDK runs.
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import type { TeamsConfig } from '../../config.ts';
import type { Engine } from '../../core/engine.ts';
import { MemoryStore } from '../../core/store/memory-store.ts';
import type { KeyValueStore } from '../../core/store/store.ts';
import type { Logger } from '../../logger.ts';
import type { Channel } from '../channel.ts';
import { describeInvalidActivity, IncomingActivitySchema, isLoopbackServiceUrl } from './activity.ts';
import { createBotTransport } from './adapter.ts';
import { createTeamsBot } from './bot.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';

export { renderMessage, renderAdaptiveCard, renderPlainText } from './render.ts';

export const TEAMS_MESSAGES_PATH = '/api/messages';
// Bot Framework activities are small; a card submit with its data stays far below this.
const MAX_BODY = '256kb';

export interface TeamsChannelOptions {
  config: TeamsConfig;
  engine: Engine;
  logger: Logger;
  /** Welcome-once, delivery de-duplication and the last buttons; share Redis across instances. */
  store?: KeyValueStore;
  /** Connector retry; tests pass a short one. */
  retry?: Partial<RetryPolicy>;
}

export function createTeamsChannel(options: TeamsChannelOptions): Channel {
  const { config, engine } = options;
  const logger = options.logger.child({ channel: 'teams' });
  const store = options.store ?? new MemoryStore();
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const transport = createBotTransport({ config, logger, retry, handlers: createTeamsBot({ engine, store, logger }) });
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  if (config.anonymous) {
    logger.warn(
      'Teams channel runs without MicrosoftAppId/MicrosoftAppPassword (anonymous): requests are not authenticated, ' +
        'so only loopback serviceUrls (localhost, 127.0.0.0/8, [::1]) are accepted. Fine for the Emulator, not for Teams.',
    );
  }

  async function handle(req: Request, res: Response): Promise<void> {
    if (stopping) return sendError(res, 503, 'stopping', 'The bot is shutting down');
    const parsed = IncomingActivitySchema.safeParse(req.body);
    if (!parsed.success) {
      const reason = describeInvalidActivity(parsed.error);
      logger.warn({ reason }, 'malformed activity rejected');
      return sendError(res, 400, 'invalid_activity', reason);
    }
    if (config.anonymous && !isLoopbackServiceUrl(parsed.data.serviceUrl)) {
      logger.warn({ serviceUrl: parsed.data.serviceUrl }, 'anonymous mode: non-loopback serviceUrl refused');
      return sendError(res, 403, 'service_url_not_allowed', 'Without credentials only loopback serviceUrls are accepted');
    }
    const work = transport.process(req, res).catch((err: unknown) => {
      logger.error({ err, type: parsed.data.type }, 'Teams request failed');
      if (!res.headersSent) sendError(res, 500, 'internal', 'Internal server error');
    });
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  }

  return {
    name: 'teams',
    mount(app: Express) {
      app.post(TEAMS_MESSAGES_PATH, parseJson(), handle);
    },
    async stop() {
      stopping = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Our own parser: the shared app may or may not parse JSON globally (if it did, this is a no-op). */
function parseJson(): RequestHandler {
  const parser = express.json({ limit: MAX_BODY, type: () => true });
  return (req, res, next) => {
    parser(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      const { status, type } = err as { status?: unknown; type?: unknown };
      if (type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'Request body is too large');
      const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
      sendError(res, code, 'invalid_json', 'Request body is not valid JSON');
    });
  };
}

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}
