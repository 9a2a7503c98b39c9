// The shared store for several instances: conversation state, delivery de-duplication
// (SET NX EX, so a Slack retry delivered to another instance is still answered once) and
// the per-conversation lock (SET NX PX with a token, released only by its holder).
//
// It must never hang a turn: commands are not queued while Redis is away (they fail at
// once, and the engine answers with the polite "temporarily unavailable" message), each
// command has a timeout, and the client reconnects in the background on its own.
// ioredis is imported here only; the engine sees the KeyValueStore interface.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';
import { StoreUnavailableError, type KeyValueStore } from './store.ts';

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key, so that several bots (or environments) can share one Redis. */
  keyPrefix?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  logger?: Logger;
}

export const DEFAULT_KEY_PREFIX = 'upsbot:';

// Deletes the lock only if it still holds our token: after an expiry another turn may own it.
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export class RedisStore implements KeyValueStore {
  readonly #redis: Redis;
  readonly #logger: Logger | undefined;
  readonly #commandTimeoutMs: number;
  #down = false;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    this.#logger = options.logger?.child({ component: 'redis' });
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
    this.#redis = new Redis(options.url, {
      keyPrefix: options.keyPrefix ?? DEFAULT_KEY_PREFIX,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      commandTimeout: this.#commandTimeoutMs,
      // Fail a command instead of parking it until Redis is back: the user gets an answer now.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Keep trying in the background forever, at most every 2 s, so the bot heals by itself.
      retryStrategy: (times) => Math.min(100 * times, 2_000),
      lazyConnect: false,
    });
    this.#redis.on('ready', () => {
      if (this.#down) this.#logger?.info('redis reachable again');
      this.#down = false;
    });
    // Without an 'error' listener ioredis would crash the process; one line per outage is enough.
    this.#redis.on('error', (err: Error) => this.#markDown(withoutCommand(err)));
    this.#redis.on('close', () => this.#markDown(undefined));
  }

  /** Waits (at most timeoutMs) for the first connection; false when Redis is not there yet. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.#redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.#redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#redis.on('ready', onReady);
    });
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const raw = await this.#run(() => this.#redis.get(key));
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      // Not ours (or truncated): treat as absent rather than failing every turn of the conversation.
      this.#logger?.warn({ key }, 'ignoring a stored value that is not JSON');
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.#run(() => this.#redis.set(key, JSON.stringify(value), 'EX', wholeSeconds(ttlSeconds)));
  }

  async delete(key: string): Promise<void> {
    await this.#run(() => this.#redis.del(key));
  }

  async setIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const result = await this.#run(() => this.#redis.set(key, JSON.stringify(value), 'EX', wholeSeconds(ttlSeconds), 'NX'));
    return result === 'OK';
  }

  async tryLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const result = await this.#run(() => this.#redis.set(key, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX'));
    return result === 'OK' ? token : undefined;
  }

  async unlock(key: string, token: string): Promise<void> {
    await this.#run(() => this.#redis.eval(RELEASE_SCRIPT, 1, key, token));
  }

  /** Readiness: connected and answering PING; never throws, never waits longer than a command. */
  async ping(): Promise<boolean> {
    if (this.#closed || this.#redis.status !== 'ready') return false;
    try {
      return (await this.#redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#redis.status === 'ready') {
        await Promise.race([this.#redis.quit(), new Promise((resolve) => setTimeout(resolve, this.#commandTimeoutMs).unref())]);
      }
    } catch {
      // Already gone: nothing to flush.
    } finally {
      this.#redis.disconnect(false);
    }
  }

  async #run<T>(command: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError(new Error('store closed'));
    try {
      return await command();
    } catch (err) {
      throw new StoreUnavailableError(withoutCommand(err));
    }
  }

  #markDown(err: Error | undefined): void {
    if (this.#closed || this.#down) return;
    this.#down = true;
    this.#logger?.error({ err, code: 'store_unavailable' }, 'redis unreachable; turns get the "temporarily unavailable" reply until it is back');
  }
}

/**
 * ioredis attaches the failed command to its errors (`command: {name, args}`): for HELLO and
 * AUTH the args are the username and password, for SET the stored value. A copy with name,
 * message and code only is what we keep and log.
 */
export function withoutCommand<T>(err: T): T | Error {
  if (!(err instanceof Error) || !('command' in err)) return err;
  const copy = new Error(err.message);
  copy.name = err.name;
  const { code } = err as { code?: unknown };
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}

function wholeSeconds(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds));
}

/** The URL without its password, for logs and the banner. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'redis';
  }
}
