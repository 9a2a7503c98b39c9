// A stalled Redis (SIGSTOP, then SIGCONT): commands sent during the stall time out on our
// side but are executed when Redis resumes, among them a lock SET NX PX nobody will release.
// The conversation's next turn must not wait for that orphan lock: it gets a real answer,
// not the 5-second wait and 「ただいまご利用いただけません」.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildEngine } from '../../src/core/index.ts';
import { withConversationLock } from '../../src/core/store/lock.ts';
import { RedisStore } from '../../src/core/store/redis-store.ts';
import { StoreUnavailableError } from '../../src/core/store/store.ts';
import { RedisServer } from './redis-server.ts';

let redis: RedisServer;
const stores: RedisStore[] = [];
const NOW = new Date('2026-11-27T10:00:00+09:00');

async function open(): Promise<RedisStore> {
  const store = new RedisStore({ url: redis.url, keyPrefix: 'stall:', connectTimeoutMs: 500, commandTimeoutMs: 300 });
  stores.push(store);
  expect(await store.waitUntilReady(3_000)).toBe(true);
  return store;
}

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  redis.resume();
  for (const store of stores) await store.close();
  await redis.stop();
});

it('a lock that timed out during a stall does not block the next turn', async () => {
  const store = await open();
  redis.pause();
  await expect(withConversationLock(store, 'conv:stalled', async () => 'ran')).rejects.toBeInstanceOf(StoreUnavailableError);
  redis.resume();
  // The late SET NX PX (10 s) has landed by now; the next turn may wait one second at most.
  await expect(withConversationLock(store, 'conv:stalled', async () => 'ran', { waitMs: 1_000 })).resolves.toBe('ran');
});

it('the engine answers the turn after a stall normally', async () => {
  const store = await open();
  const engine = await buildEngine({ store, clock: () => NOW });
  const conversation = 'web:stall-engine-test';
  expect((await engine.handle({ conversation, text: 'SMT1500Jの保守を選びたい' }))[0]?.intent).toBe('recommend_service');
  redis.pause();
  const during = await engine.handle({ conversation, choice: 'timing:owned' });
  expect(during.at(-1)?.text).toMatch(/03-4578-4697/);
  redis.resume();
  const after = await engine.handle({ conversation, choice: 'timing:owned' });
  expect(after.at(-1)?.intent).toBe('recommend_service');
  expect(after.at(-1)?.text).not.toMatch(/ただいま/);
}, 20_000);
