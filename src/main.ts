// The composition root: config → store → engine → channels → one HTTP server.
// `npm start` works with no variables at all: web chat and a local-only Teams endpoint.
import { existsSync } from 'node:fs';
import type { Channel } from './channels/channel.ts';
import { createTeamsChannel } from './channels/teams/index.ts';
import { createWebChannel } from './channels/web/index.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { buildEngine, type Engine } from './core/index.ts';
import { defaultBudgets } from './core/store/budgets.ts';
import { MemoryStore } from './core/store/memory-store.ts';
import type { KeyValueStore } from './core/store/store.ts';
import { createLogger, type Logger } from './logger.ts';
import { createServer } from './server.ts';
import { ShutdownDeadline } from './shutdown.ts';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const logger = createLogger(config.logLevel, {
    secrets: [config.slack?.botToken, config.slack?.appToken, config.slack?.signingSecret, config.teams.appPassword, ...redisSecrets(config.redisUrl)],
  });
  const store = await openStore(config, logger);
  // The knowledge is loaded here, before the server listens; /readyz then tracks the store.
  const engine = await buildEngine({
    store,
    stateTtlSeconds: config.stateTtlSeconds,
    companyHolidays: config.companyHolidays,
    knowledgeDir: config.knowledgeDir,
    intentsDir: config.intentsDir,
    logger,
    logUserText: config.logUserText,
    // The tests check the reply shape; the server does not re-check its own replies per turn.
    validateReplies: false,
  });
  const deadline = new ShutdownDeadline(config.shutdownTimeoutMs);
  const channels = await createChannels({ config, engine, logger, store, shutdown: deadline.signal });
  const server = createServer({ config, channels, logger, isReady: () => store.ping(), drainTimeoutMs: deadline.cutMs });
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    deadline.begin(() => {
      // Whatever still hangs (an upstream that never answers) does not keep the process.
      logger.warn({ timeoutMs: deadline.timeoutMs }, 'shutdown deadline reached; exiting');
      logger.flush();
      process.exit(0);
    });
    logger.info({ signal, timeoutMs: deadline.timeoutMs }, 'shutting down: finishing in-flight turns');
    await server.close();
    await store.close();
    logger.info('stopped');
    // flush() may never call back when standard error is gone (e.g. the parent died); the
    // unref'd timer then exits anyway, unless the process has already ended on its own.
    setTimeout(() => process.exit(0), 2_000).unref();
    logger.flush(() => process.exit(0));
  };
  // Before the banner: whoever reads it may signal at once.
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
  for (const channel of channels) await channel.start?.();
  const url = await server.listen();
  printBanner(config, url);
  logger.info({ url: url.href, channels: channels.map((c) => c.name) }, 'listening');
}

/**
 * Memory by default (one instance); Redis with REDIS_URL, shared by every instance. An
 * unreachable Redis does not stop the start: /readyz says not ready, turns get the polite
 * "temporarily unavailable" reply, and the client keeps reconnecting in the background.
 */
async function openStore(config: Config, logger: Logger): Promise<KeyValueStore> {
  const budgets = defaultBudgets({ conversationsPerChannel: config.stateMaxConversations });
  if (config.redisUrl === undefined) return new MemoryStore(Date.now, { budgets });
  // Loaded only when used, like Bolt below: every module a start does not need is start-up time.
  const { describeRedisUrl, RedisStore } = await import('./core/store/redis-store.ts');
  const store = new RedisStore({ url: config.redisUrl, logger, budgets });
  const where = describeRedisUrl(config.redisUrl);
  if (await store.waitUntilReady(3_000)) {
    logger.info({ store: 'redis', redis: where }, 'conversation store: redis');
    await store.warnIfEvicting();
  }
  else logger.warn({ store: 'redis', redis: where }, 'redis not reachable yet; starting anyway and retrying in the background');
  return store;
}

/** The password of REDIS_URL as written and decoded: ioredis errors can carry either. */
function redisSecrets(url: string | undefined): string[] {
  if (url === undefined || !URL.canParse(url)) return [];
  const { password } = new URL(url);
  if (password === '') return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // Not percent-encoded after all.
  }
  return [password, decoded];
}

interface ChannelDeps {
  config: Config;
  engine: Engine;
  logger: Logger;
  store: KeyValueStore;
  /** Aborted at the shutdown cut (see shutdown.ts). */
  shutdown: AbortSignal;
}

/** Web chat always; Teams always (anonymous = this machine only); Slack when configured. */
async function createChannels({ config, engine, logger, store, shutdown }: ChannelDeps): Promise<Channel[]> {
  const channels: Channel[] = [createWebChannel({ config, engine, logger, store }), createTeamsChannel({ config: config.teams, engine, logger, store, shutdown })];
  if (config.slack !== null) {
    // @slack/bolt takes about half a second to load: only when Slack is configured.
    const { createSlackChannel } = await import('./channels/slack/index.ts');
    channels.push(createSlackChannel({ config: config.slack, engine, logger, store, shutdown }));
  }
  return channels;
}

function printBanner(config: Config, url: URL): void {
  const at = (path: string): string => new URL(path, url).href;
  const teams = config.teams.anonymous
    ? `on   POST ${at('api/messages')} (no credentials: this machine only, e.g. the Agents Playground; set clientId + clientSecret, or MicrosoftAppId + MicrosoftAppPassword, for Azure)`
    : `on   POST ${at('api/messages')} (app ${config.teams.appId})`;
  const slack =
    config.slack === null
      ? 'off  set SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET (HTTP, POST /slack/events) or SLACK_BOT_TOKEN + SLACK_APP_TOKEN (Socket Mode)'
      : config.slack.mode === 'http'
        ? `on   POST ${at('slack/events')}`
        : 'on   Socket Mode';
  const lines = [`APC UPS maintenance bot: open ${url.href} to chat`, `  web chat  on   ${url.href}`, `  Teams     ${teams}`, `  Slack     ${slack}`];
  process.stderr.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${err.message}\n`);
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    const { port } = err as { port?: number };
    process.stderr.write(`Cannot start: port ${port} is already in use (set PORT to another port)\n`);
  } else if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string') {
    // A typed error (e.g. invalid knowledge data) explains itself; a stack would only hide the message.
    process.stderr.write(`Cannot start: ${err.message}\n`);
  } else {
    process.stderr.write(`Cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
