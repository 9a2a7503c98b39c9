// The bot's own identity (auth.test: user id, bot id, team), resolved once in the background
// and never on a request's path. Bolt calls authorize() before it acknowledges an event, so
// an authorize that waits for a slow or rate-limited auth.test pushes the ack past Slack's
// 3 seconds and the event is lost. Until the identity is known, authorize() answers with the
// token alone: the bot's own messages are still recognised by their bot_id.
import { webApi, type Authorize } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

export interface BotIdentity {
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

export interface IdentityOptions {
  botToken: string;
  /** The WebClient options of the channel (base URL, timeout, logger); retries are ours here. */
  clientOptions: webApi.WebClientOptions;
  logger: Logger;
  /** Stops the background retries (shutdown). */
  signal?: AbortSignal;
  /** First wait after a failure; doubled up to maxDelayMs, or Slack's Retry-After. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface IdentityResolver {
  /** Starts the lookup in the background (idempotent); never waits for it. */
  start(): void;
  readonly authorize: Authorize<boolean>;
  current(): BotIdentity | undefined;
}

export function createIdentityResolver(options: IdentityOptions): IdentityResolver {
  const { botToken, logger, signal } = options;
  const minDelayMs = options.minDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  // A client of its own: a rate-limited auth.test pauses its client's whole request queue,
  // which must not hold up the answers; and a 429 comes back to us at once with Retry-After.
  const client = new webApi.WebClient(botToken, { ...options.clientOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  let identity: BotIdentity | undefined;
  let started = false;

  async function resolveLoop(): Promise<void> {
    for (let attempt = 0; !signal?.aborted; attempt++) {
      try {
        const r = await client.auth.test();
        identity = { ...(r.user_id ? { botUserId: r.user_id } : {}), ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.team_id ? { teamId: r.team_id } : {}) };
        logger.info({ botUserId: identity.botUserId, team: identity.teamId }, 'slack bot identity resolved');
        return;
      } catch (err) {
        const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
        const delayMs = typeof retryAfter === 'number' ? retryAfter * 1000 : Math.min(minDelayMs * 2 ** attempt, maxDelayMs);
        logger.warn({ err, attempt: attempt + 1, delayMs }, 'slack auth.test failed; answering without the bot identity and retrying in the background');
        await sleep(delayMs, signal);
      }
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      void resolveLoop();
    },
    authorize: async () => {
      if (!started) {
        started = true;
        void resolveLoop();
      }
      return { botToken, ...identity };
    },
    current: () => identity,
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
