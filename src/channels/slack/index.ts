// The Slack channel: Bolt in HTTP mode (POST /slack/events on the shared Express server,
// Bolt's own signature check, url_verification and ssl_check) or in Socket Mode.
// Transport and rendering only; what to say comes from the engine.
import { App, AuthorizationError, ExpressReceiver, webApi } from '@slack/bolt';
import type { Express } from 'express';
import type { Channel } from '../channel.ts';
import type { SlackConfig } from '../../config.ts';
import type { Engine } from '../../core/engine.ts';
import type { KeyValueStore } from '../../core/store/store.ts';
import type { Logger } from '../../logger.ts';
import { boltLogger } from './bolt-logger.ts';
import { SLACK_BODY_LIMIT_BYTES, slackBodyGuard } from './body-guard.ts';
import { registerHandlers } from './handlers.ts';
import { fetchUntil } from './abort.ts';
import { createIdentityResolver } from './identity.ts';
import { describeSlackRequest } from './request-info.ts';
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
  /**
   * Aborted at the process's shutdown deadline (main.ts): Web API and response_url calls
   * and their retries stop there, and stop() no longer waits for turns still running.
   */
  shutdown?: AbortSignal;
}

// Slack asks for a retry after 429 with Retry-After; five attempts within minutes, then give up and log.
const DEFAULT_RETRY: webApi.RetryOptions = webApi.retryPolicies.fiveRetriesInFiveMinutes;

export function createSlackChannel(options: SlackChannelOptions): Channel {
  const { config, engine, store } = options;
  const logger = options.logger.child({ channel: 'slack', mode: config.mode });
  const retry = options.retry ?? DEFAULT_RETRY;
  const slackLogger = boltLogger(logger);
  const shutdown = options.shutdown ?? new AbortController().signal;

  const clientOptions: webApi.WebClientOptions = {
    logger: slackLogger,
    // Every attempt ends at the shutdown deadline, and no retry starts after it.
    // (p-retry options underneath: a throwing onFailedAttempt ends the retries.)
    retryConfig: {
      ...retry,
      onFailedAttempt: (err: unknown) => {
        if (shutdown.aborted) throw err instanceof Error ? err : new Error(String(err));
      },
    } as webApi.RetryOptions,
    fetch: fetchUntil(shutdown) as unknown as webApi.WebClientOptions['fetch'],
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
          // Bolt's defaults log "unhandled error after ack()" without the error or the request.
          processEventErrorHandler: async ({ error, request, response }) => {
            const info = { err: error, ...describeSlackRequest(request) };
            if (response.headersSent) {
              logger.error(info, 'slack request dropped after it was acknowledged');
              return false;
            }
            if (error instanceof AuthorizationError) {
              logger.warn(info, 'slack request refused: authorization failed');
              response.writeHead(401).end();
              return true;
            }
            logger.error(info, 'slack request failed before it was acknowledged');
            response.writeHead(500).end();
            return false;
          },
          unhandledRequestHandler: ({ request, response }) => {
            logger.error(describeSlackRequest(request), 'slack request not acknowledged within 3 seconds; dropped');
            if (!response.headersSent) response.writeHead(404).end();
          },
        })
      : undefined;
  const identity = createIdentityResolver({ botToken: config.botToken, clientOptions, logger, signal: shutdown });

  const app = new App({
    ...(receiver !== undefined ? { receiver } : { socketMode: true, appToken: config.appToken }),
    authorize: identity.authorize,
    clientOptions,
    logger: slackLogger,
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'slack listener error');
  });

  const runner = new TurnRunner(engine, client, logger, { retries: retry.retries ?? 2, minTimeout: retry.minTimeout ?? 1000 }, shutdown);
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
      identity.start();
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
