// RedisStore against a real redis-server: the KeyValueStore contract, the shared lock, and
// how it behaves when Redis goes away (fails at once, recovers by itself).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreFullError, type Budget } from '../../src/core/store/budgets.ts';
import { LockTimeoutError, withConversationLock, withLockedValue } from '../../src/core/store/lock.ts';
import { RedisStore } from '../../src/core/store/redis-store.ts';
import { createLogger } from '../../src/logger.ts';
import { StoreUnavailableError } from '../../src/core/store/store.ts';
import { RedisServer } from './redis-server.ts';

let redis: RedisServer;
let raw: Redis;
const stores: RedisStore[] = [];

function open(keyPrefix = 'test:', budgets?: Budget[]): RedisStore {
  const store = new RedisStore({ url: redis.url, keyPrefix, connectTimeoutMs: 500, commandTimeoutMs: 500, ...(budgets ? { budgets } : {}) });
  stores.push(store);
  return store;
}

async function ready(store: RedisStore): Promise<RedisStore> {
  expect(await store.waitUntilReady(3_000)).toBe(true);
  return store;
}

beforeAll(async () => {
  redis = await RedisServer.start();
  raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // The outage test stops the server under this client too; its errors are expected there.
  raw.on('error', () => undefined);
  await raw.connect();
});
afterAll(async () => {
  raw?.disconnect();
  for (const store of stores) await store.close();
  await redis?.stop();
});

/** The commands clients send while fn runs, by name (MONITOR; commands run inside scripts left out). */
async function sentCommands(fn: () => Promise<unknown>): Promise<Record<string, number>> {
  const monitor = await raw.monitor();
  const calls: Record<string, number> = {};
  let counting = true;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (!counting || source.includes('lua')) return;
    const name = args[0]!.toLowerCase();
    calls[name] = (calls[name] ?? 0) + 1;
  });
  try {
    await fn();
    // MONITOR lines trail the replies a little.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    counting = false;
    monitor.disconnect();
  }
  return calls;
}

describe('RedisStore', () => {
  it('stores JSON values under the key prefix, with a TTL (SET … EX)', async () => {
    const store = await ready(open('bot1:'));
    await store.set('conv:a', { phase: { kind: 'idle' }, n: 1, text: '無償保証 😀' }, 120);
    expect(await store.get('conv:a')).toEqual({ phase: { kind: 'idle' }, n: 1, text: '無償保証 😀' });
    expect(await raw.get('bot1:conv:a')).toBe(JSON.stringify({ phase: { kind: 'idle' }, n: 1, text: '無償保証 😀' }));
    const ttl = await raw.ttl('bot1:conv:a');
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await store.get('missing')).toBeUndefined();
    await store.delete('conv:a');
    expect(await store.get('conv:a')).toBeUndefined();
  });

  it('keeps prefixes apart and treats a non-JSON value as absent', async () => {
    const a = await ready(open('a:'));
    const b = await ready(open('b:'));
    await a.set('k', 1, 60);
    expect(await b.get('k')).toBeUndefined();
    await raw.set('a:garbage', '{not json');
    expect(await a.get('garbage')).toBeUndefined();
  });

  it('setIfAbsent is SET NX EX: true once, across clients, and again after expiry', async () => {
    const a = await ready(open());
    const b = await ready(open());
    const results = await Promise.all([a.setIfAbsent('slack:event:Ev1', 1, 1), b.setIfAbsent('slack:event:Ev1', 1, 1), a.setIfAbsent('slack:event:Ev1', 1, 1)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await raw.ttl('test:slack:event:Ev1')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await b.setIfAbsent('slack:event:Ev1', 1, 60)).toBe(true);
  });

  it('locks with a token (SET NX PX) and releases only its own lock', async () => {
    const a = await ready(open());
    const b = await ready(open());
    const token = await a.tryLock('lock:x', 5_000);
    expect(token).toEqual(expect.any(String));
    expect(await b.tryLock('lock:x', 5_000)).toBeUndefined();
    expect(await raw.pttl('test:lock:x')).toBeGreaterThan(4_000);
    await b.unlock('lock:x', 'someone-else');
    expect(await raw.get('test:lock:x')).toBe(token);
    await a.unlock('lock:x', token!);
    expect(await raw.exists('test:lock:x')).toBe(0);
  });

  it('withConversationLock runs the turns of one conversation one at a time across instances', async () => {
    const a = await ready(open());
    const b = await ready(open());
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    const turn = (store: RedisStore, n: number) =>
      withConversationLock(store, 'conv:shared', async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(n);
        running -= 1;
        return n;
      });
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => turn(n % 2 === 0 ? a : b, n)));
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(maxRunning).toBe(1);
    expect(order).toHaveLength(6);
    expect(await raw.exists('test:lock:conv:shared')).toBe(0);
  });

  it('withConversationLock gives up after its bounded wait with a store-unavailable error', async () => {
    const a = await ready(open());
    const held = await a.tryLock('lock:conv:stuck', 5_000);
    expect(held).toBeDefined();
    const started = Date.now();
    const attempt = withConversationLock(a, 'conv:stuck', async () => 'ran', { waitMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('withLockedValue reads under the lock and writes as it releases, one round trip each (lockAndGet, setAndUnlock)', async () => {
    const a = await ready(open());
    const b = await ready(open());
    await a.set('conv:counter', { n: 0 }, 60);
    const bump = (store: RedisStore) =>
      withLockedValue(store, 'conv:counter', 60, async (stored) => {
        const n = (stored as { n: number }).n;
        // Long enough for the other instance's turn to find the lock taken.
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { value: { n: n + 1 }, result: n };
      });
    let seen: number[] = [];
    const calls = await sentCommands(async () => {
      seen = await Promise.all([a, b, a, b].map(bump));
    });
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
    expect(await a.get('conv:counter')).toEqual({ n: 4 });
    expect(await raw.exists('test:lock:conv:counter')).toBe(0);
    expect(await raw.pttl('test:conv:counter')).toBeGreaterThan(50_000);
    // Four turns, two scripts each (a lock found taken costs one more try), nothing else; the
    // first run of a script on a connection may go as EVAL (two scripts, two connections).
    expect(Object.keys(calls).filter((name) => name !== 'eval' && name !== 'evalsha')).toEqual([]);
    expect(calls['eval'] ?? 0).toBeLessThanOrEqual(4);
    const scripts = (calls['evalsha'] ?? 0) + (calls['eval'] ?? 0);
    expect(scripts).toBeGreaterThanOrEqual(8);
    expect(scripts).toBeLessThan(8 + 4 + 40);
  });

  it('withLockedValue writes nothing when the turn fails, and releases the lock when a full budget refuses the write', async () => {
    const store = await ready(open('locked-budget:', [{ name: 'all', prefixes: [''], maxEntries: 1 }]));
    await store.set('conv:first', 1, 60);
    await expect(withLockedValue(store, 'conv:first', 60, async () => Promise.reject(new Error('turn failed')))).rejects.toThrow('turn failed');
    expect(await store.get('conv:first')).toBe(1);
    expect(await raw.exists('locked-budget:lock:conv:first')).toBe(0);

    const full = withLockedValue(store, 'conv:second', 60, async (stored) => ({ value: 2, result: stored }));
    await expect(full).rejects.toBeInstanceOf(StoreFullError);
    expect(await raw.exists('locked-budget:conv:second')).toBe(0);
    expect(await raw.exists('locked-budget:lock:conv:second')).toBe(0);
    // The existing key is still written through the same path.
    expect(await withLockedValue(store, 'conv:first', 60, async (stored) => ({ value: (stored as number) + 1, result: 'ok' }))).toBe('ok');
    expect(await store.get('conv:first')).toBe(2);
  });

  it('lockAndGet finds a lock held elsewhere and reads nothing; a non-JSON value reads as absent', async () => {
    const a = await ready(open());
    await raw.set('test:conv:garbled', '{not json');
    const held = await a.lockAndGet('lock:conv:garbled', 5_000, 'conv:garbled');
    expect(held).toEqual({ token: expect.any(String), value: undefined });
    expect(await a.lockAndGet('lock:conv:garbled', 5_000, 'conv:garbled')).toBeUndefined();
    await a.setAndUnlock('conv:garbled', { fixed: true }, 60, 'lock:conv:garbled', 'not-the-token');
    // Someone else's token does not release the lock (the write itself goes through).
    expect(await raw.get('test:lock:conv:garbled')).toBe(held!.token);
    await a.unlock('lock:conv:garbled', held!.token);
    expect(await a.get('conv:garbled')).toEqual({ fixed: true });
  });

  it('reports ready with ping(), fails promptly while Redis is down, and recovers by itself', async () => {
    const store = await ready(open());
    expect(await store.ping()).toBe(true);
    await redis.stop();
    // The client notices the closed socket almost at once; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await expect(store.get('conv:a')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.set('conv:a', 1, 60)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.setIfAbsent('conv:a', 1, 60)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(withConversationLock(store, 'conv:a', async () => 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);

    await redis.start();
    expect(await store.waitUntilReady(5_000)).toBe(true);
    expect(await store.ping()).toBe(true);
    await store.set('conv:a', { back: true }, 60);
    expect(await store.get('conv:a')).toEqual({ back: true });
    await raw.connect().catch(() => undefined);
  });

  it('keeps budgets by key prefix: a full budget refuses newcomers, other budgets and existing keys are untouched', async () => {
    const budgets: Budget[] = [
      { name: 'teams', prefixes: ['conv:teams:'], maxEntries: 3 },
      { name: 'slack', prefixes: ['slack:event:'], maxEntries: 3 },
      { name: 'other', prefixes: [''], maxEntries: 3 },
    ];
    const a = await ready(open('budget-test:', budgets));
    const b = await ready(open('budget-test:', budgets));
    expect(await a.setIfAbsent('slack:event:Ev1', 1, 60)).toBe(true);
    await a.set('conv:web:alice', { phase: 'asking' }, 60);
    // Two instances share the count.
    await a.set('conv:teams:1', 1, 60);
    await b.set('conv:teams:2', 2, 60);
    await a.set('conv:teams:3', 3, 60);
    await expect(b.set('conv:teams:4', 4, 60)).rejects.toBeInstanceOf(StoreFullError);
    await expect(b.setIfAbsent('conv:teams:5', 5, 60)).rejects.toBeInstanceOf(StoreFullError);
    expect(await b.setIfAbsent('slack:event:Ev1', 1, 60)).toBe(false);
    expect(await b.get('conv:web:alice')).toEqual({ phase: 'asking' });
    await b.set('conv:teams:1', 'updated', 60);
    expect(await a.get('conv:teams:1')).toBe('updated');
    // Every key keeps a TTL; deleting one makes room.
    expect(await raw.pttl('budget-test:conv:teams:1')).toBeGreaterThan(50_000);
    await a.delete('conv:teams:2');
    await b.set('conv:teams:4', 4, 60);
    expect(await raw.zcard('budget-test:budget:teams')).toBe(3);
  });

  it('makes room as keys expire', async () => {
    const a = await ready(open('budget-expiry:', [{ name: 'all', prefixes: [''], maxEntries: 1 }]));
    await a.set('x', 1, 1);
    await expect(a.set('y', 2, 60)).rejects.toBeInstanceOf(StoreFullError);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await a.set('y', 2, 60);
    expect(await a.get('y')).toBe(2);
  });

  it('warns at start when Redis may evict our keys (any maxmemory-policy but noeviction)', async () => {
    let lines = '';
    const logger = createLogger('info', { destination: { write: (line: string) => void (lines += line) } });
    const store = new RedisStore({ url: redis.url, keyPrefix: 'policy:', logger });
    stores.push(store);
    await ready(store);
    await store.warnIfEvicting();
    expect(lines).not.toMatch(/maxmemory-policy/);
    await raw.config('SET', 'maxmemory-policy', 'volatile-lru');
    try {
      await store.warnIfEvicting();
    } finally {
      await raw.config('SET', 'maxmemory-policy', 'noeviction');
    }
    expect(JSON.parse(lines.trim().split('\n').at(-1)!)).toMatchObject({ level: 40, policy: 'volatile-lru' });
  });

  it('close() is prompt and idempotent; a closed store refuses politely', async () => {
    const store = await ready(open());
    await store.close();
    await store.close();
    expect(await store.ping()).toBe(false);
    await expect(store.get('x')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
