// The Slack channel: Bolt in HTTP mode (POST /slack/events on the shared Express server,
// Bolt's own signature check, url_verification and ssl_check) or in Socket Mode.
// Transport and rendering only; what to say comes from the engine.
import { App, ExpressReceiver, webApi, type Authorize } from '@slack/bolt';
import type { Express } from 'express';
import type { Channel } from '../channel.ts';
import type { SlackConfig } from '../../config.ts';
import type { Engine } from '../../core/engine.ts';
import type { KeyValueStore } from '../../core/store/store.ts';
import type { Logger } from '../../logger.ts';
import { boltLogger } from './bolt-logger.ts';
import { SLACK_BODY_LIMIT_BYTES, slackBodyGuard } from './body-guard.ts';
import { registerHandlers } from './handlers.ts';
import { TurnRunner } from './turns.ts';

export { renderReply, renderHomeView, markChosen } from './render.ts';
export { cleanIncomingText } from './incoming.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackChannelOptions {
  config: SlackConfig;
  engine: Engine;
  logger: Logger;
  store: KeyValueStore;
  /** Web API and response_url retries (p-retry options); tests pass a short one. */
  retry?: webApi.RetryOptions;
  /** How long the bot keeps answering in a thread without a new mention. Default 7 days. */
  threadTtlSeconds?: number;
}

// Slack asks for a retry after 429 with Retry-After; five attempts within minutes, then give up and log.
const DEFAULT_RETRY: webApi.RetryOptions = webApi.retryPolicies.fiveRetriesInFiveMinutes;

export function createSlackChannel(options: SlackChannelOptions): Channel {
  const { config, engine, store } = options;
  const logger = options.logger.child({ channel: 'slack', mode: config.mode });
  const retry = options.retry ?? DEFAULT_RETRY;
  const slackLogger = boltLogger(logger);

  const clientOptions: webApi.WebClientOptions = {
    logger: slackLogger,
    retryConfig: retry,
    // 429s wait for Retry-After and try again instead of failing the turn.
    rejectRateLimitedCalls: false,
    timeout: 10_000,
    ...(config.apiUrl !== undefined ? { slackApiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` } : {}),
  };
  const client = new webApi.WebClient(config.botToken, clientOptions);
  client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number, { url }: { url: string }) => {
    logger.warn({ retryAfterSeconds, method: url.split('/').at(-1) }, 'slack web api rate limited; waiting for Retry-After');
  });

  const receiver =
    config.mode === 'http'
      ? new ExpressReceiver({
          signingSecret: config.signingSecret ?? '',
          endpoints: SLACK_EVENTS_PATH,
          // false: Bolt answers Slack before our listeners run, which keeps the 3-second ack.
          processBeforeResponse: false,
          bodyLimit: SLACK_BODY_LIMIT_BYTES,
          logger: slackLogger,
        })
      : undefined;

  const app = new App({
    ...(receiver !== undefined ? { receiver } : { socketMode: true, appToken: config.appToken }),
    authorize: cachedAuthorize(client, config.botToken),
    clientOptions,
    logger: slackLogger,
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'slack listener error');
  });

  const runner = new TurnRunner(engine, client, logger, { retries: retry.retries ?? 2, minTimeout: retry.minTimeout ?? 1000 });
  registerHandlers(app, { engine, store, runner, client, logger, threadTtlSeconds: options.threadTtlSeconds ?? 7 * 24 * 3600 });

  let started = false;
  return {
    name: 'slack',
    mount(server: Express) {
      if (receiver === undefined) return;
      server.post(SLACK_EVENTS_PATH, slackBodyGuard());
      server.use(receiver.router);
      logger.info({ path: SLACK_EVENTS_PATH }, 'slack events endpoint mounted');
    },
    async start() {
      if (config.mode !== 'socket') return;
      await app.start();
      started = true;
      logger.info('slack socket mode connected');
    },
    async stop() {
      if (started) await app.stop();
      started = false;
      await runner.drain();
    },
  };
}

/**
 * auth.test once (for the bot's own user id, so Bolt can ignore its messages), cached;
 * a failed lookup is forgotten and retried on the next event instead of poisoning the cache
 * or rejecting at construction time when Slack is unreachable.
 */
function cachedAuthorize(client: webApi.WebClient, botToken: string): Authorize<boolean> {
  let identity: Promise<{ botUserId?: string; botId?: string; teamId?: string }> | undefined;
  return async () => {
    identity ??= client.auth
      .test()
      .then((r) => ({ botUserId: r.user_id, botId: r.bot_id, teamId: r.team_id }))
      .catch((err: unknown) => {
        identity = undefined;
        throw err;
      });
    return { botToken, ...(await identity) };
  };
}
