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
import { keyTag } from './key-tag.ts';
import { budgetMatcher, defaultBudgets, StoreFullError, type Budget } from './budgets.ts';
import { StoreUnavailableError, type KeyValueStore } from './store.ts';

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key, so that several bots (or environments) can share one Redis. */
  keyPrefix?: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  logger?: Logger;
  /** Budgets by key prefix (budgets.ts); defaultBudgets() when absent. */
  budgets?: readonly Budget[];
}

export const DEFAULT_KEY_PREFIX = 'upsbot:';

// Deletes the lock only if it still holds our token: after an expiry another turn may own it.
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

// A write under a budget, atomically: an existing key is overwritten (or, with ARGV[4] = '1',
// left alone: SET NX); a new key is refused with -1 while the budget's index, a sorted set of
// key → expiry time, holds maxEntries live keys. The index forgets expired keys as it goes
// and lives as long as its longest-lived key. Redis's own clock, so instances may disagree.
// With a third key (budgetSetUnlock), the turn's conversation lock KEYS[3] is released too if it
// still holds the token ARGV[5], whatever the outcome of the write.
const BUDGET_SET_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local function done(outcome)
  if KEYS[3] and redis.call('GET', KEYS[3]) == ARGV[5] then redis.call('DEL', KEYS[3]) end
  return outcome
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 1 then
  if ARGV[4] == '1' then return done(0) end
else
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return done(-1) end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('ZADD', KEYS[2], now + ttl, KEYS[1])
if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
return done(1)`;
// The conversation lock (SET NX PX with a token) and, when taken, the value of KEYS[2].
const LOCK_AND_GET_SCRIPT = "if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {1, redis.call('GET', KEYS[2])} end return {0}";
const BUDGET_DELETE_SCRIPT = "redis.call('ZREM', KEYS[2], KEYS[1]); return redis.call('DEL', KEYS[1])";

interface BudgetCommands {
  releaseLock(key: string, token: string): Promise<number>;
  lockAndGet(lockKey: string, key: string, token: string, ttlMs: number): Promise<[0] | [1, string | null]>;
  budgetSet(key: string, index: string, value: string, ttlMs: number, maxEntries: number, onlyIfAbsent: '0' | '1'): Promise<number>;
  budgetSetUnlock(key: string, index: string, lockKey: string, value: string, ttlMs: number, maxEntries: number, onlyIfAbsent: '0', token: string): Promise<number>;
  budgetDelete(key: string, index: string): Promise<number>;
}

export class RedisStore implements KeyValueStore {
  readonly #redis: Redis;
  readonly #logger: Logger | undefined;
  readonly #commandTimeoutMs: number;
  readonly #budgetOf: (key: string) => Budget | undefined;
  #down = false;
  #closed = false;

  constructor(options: RedisStoreOptions) {
    this.#logger = options.logger?.child({ component: 'redis' });
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
    this.#budgetOf = budgetMatcher(options.budgets ?? defaultBudgets());
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
    this.#redis.defineCommand('budgetSet', { numberOfKeys: 2, lua: BUDGET_SET_SCRIPT });
    this.#redis.defineCommand('budgetDelete', { numberOfKeys: 2, lua: BUDGET_DELETE_SCRIPT });
    // Defined commands go as EVALSHA (the script text only once, on NOSCRIPT), not EVAL each turn.
    this.#redis.defineCommand('releaseLock', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.#redis.defineCommand('budgetSetUnlock', { numberOfKeys: 3, lua: BUDGET_SET_SCRIPT });
    this.#redis.defineCommand('lockAndGet', { numberOfKeys: 2, lua: LOCK_AND_GET_SCRIPT });
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
    return this.#parse<T>(key, await this.#run(() => this.#redis.get(key)));
  }

  #parse<T>(key: string, raw: string | null): T | undefined {
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      // Not ours (or truncated): treat as absent rather than failing every turn of the conversation.
      this.#logger?.warn({ key: keyTag(key) }, 'ignoring a stored value that is not JSON');
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.#write(key, value, ttlSeconds, false);
  }

  async delete(key: string): Promise<void> {
    const budget = this.#budgetOf(key);
    if (budget === undefined) await this.#run(() => this.#redis.del(key));
    else await this.#run(() => this.#commands.budgetDelete(key, indexKey(budget)));
  }

  async setIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    return this.#write(key, value, ttlSeconds, true);
  }

  /**
   * SET NX PX with a fresh token. When the command fails on our side (a timeout while Redis
   * stalls), it may still land later and hold the lock for ttlMs with a token nobody knows:
   * its token-checked release is then sent right behind it, and repeated until it is through.
   */
  async tryLock(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const ttl = Math.max(1, Math.round(ttlMs));
    try {
      const result = await this.#run(() => this.#redis.set(key, token, 'PX', ttl, 'NX'));
      return result === 'OK' ? token : undefined;
    } catch (err) {
      this.#releaseInBackground(key, token, ttl);
      throw err;
    }
  }

  /** tryLock's SET NX PX and, when it took the lock, GET key: one script, one round trip. */
  async lockAndGet(lockKey: string, ttlMs: number, key: string): Promise<{ token: string; value: unknown } | undefined> {
    const token = randomUUID();
    const ttl = Math.max(1, Math.round(ttlMs));
    try {
      const reply = await this.#run(() => this.#commands.lockAndGet(lockKey, key, token, ttl));
      return reply[0] === 1 ? { token, value: this.#parse(key, reply[1]) } : undefined;
    } catch (err) {
      this.#releaseInBackground(lockKey, token, ttl);
      throw err;
    }
  }

  /** set() and unlock() in one script; the lock goes even when the budget refuses the write. */
  async setAndUnlock(key: string, value: unknown, ttlSeconds: number, lockKey: string, token: string): Promise<void> {
    const json = JSON.stringify(value);
    const ttlMs = wholeSeconds(ttlSeconds) * 1000;
    const budget = this.#budgetOf(key);
    if (budget === undefined) {
      // A key outside every budget (custom budgets may leave some out): the plain write, then the release.
      await this.set(key, value, ttlSeconds).finally(() => this.unlock(lockKey, token).catch(() => undefined));
      return;
    }
    let result: number;
    try {
      result = await this.#run(() => this.#commands.budgetSetUnlock(key, indexKey(budget), lockKey, json, ttlMs, budget.maxEntries, '0', token));
    } catch (err) {
      this.#releaseInBackground(lockKey, token, 10_000);
      throw err;
    }
    if (result === -1) throw new StoreFullError(budget);
  }

  async unlock(key: string, token: string): Promise<void> {
    try {
      await this.#run(() => this.#commands.releaseLock(key, token));
    } catch (err) {
      // The lock would otherwise block the conversation's next turn until it expires.
      this.#releaseInBackground(key, token, 10_000);
      throw err;
    }
  }

  get #commands(): BudgetCommands {
    return this.#redis as unknown as BudgetCommands;
  }

  async #write(key: string, value: unknown, ttlSeconds: number, onlyIfAbsent: boolean): Promise<boolean> {
    const json = JSON.stringify(value);
    const ttlMs = wholeSeconds(ttlSeconds) * 1000;
    const budget = this.#budgetOf(key);
    if (budget === undefined) {
      const result = await this.#run(() => (onlyIfAbsent ? this.#redis.set(key, json, 'PX', ttlMs, 'NX') : this.#redis.set(key, json, 'PX', ttlMs)));
      return result === 'OK';
    }
    const result = await this.#run(() => this.#commands.budgetSet(key, indexKey(budget), json, ttlMs, budget.maxEntries, onlyIfAbsent ? '1' : '0'));
    if (result === -1) throw new StoreFullError(budget);
    return result === 1;
  }

  /** Token-checked release, retried every 250 ms while it fails, for at most the lock's TTL. */
  #releaseInBackground(key: string, token: string, ttlMs: number): void {
    const until = Date.now() + ttlMs;
    const attempt = (): void => {
      if (this.#closed || Date.now() > until) return;
      this.#commands.releaseLock(key, token).then(
        () => undefined,
        () => void setTimeout(attempt, 250).unref(),
      );
    };
    attempt();
  }

  /**
   * Warns when Redis may evict keys on its own: the budgets refuse newcomers instead of
   * dropping anyone, which an eviction policy would undo (every key of ours has a TTL, so the
   * volatile-* policies evict them too). Only noeviction keeps them; under memory pressure
   * Redis then answers writes with an error, and users get the polite reply. Best effort:
   * managed Redis services often refuse CONFIG.
   */
  async warnIfEvicting(): Promise<void> {
    try {
      const reply = (await this.#redis.config('GET', 'maxmemory-policy')) as unknown as string[];
      const policy = reply[1];
      if (policy !== undefined && policy !== 'noeviction') {
        this.#logger?.warn({ policy }, 'redis maxmemory-policy evicts keys: conversations may be dropped under memory pressure; use noeviction');
      }
    } catch {
      // CONFIG not allowed: nothing to say.
    }
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

function indexKey(budget: Budget): string {
  return `budget:${budget.name}`;
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
