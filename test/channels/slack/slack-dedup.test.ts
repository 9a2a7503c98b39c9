// Two instances given the same delivery at the same moment (a retry sent to another instance
// while the first still works on it), through the real Bolt receiver: the two delivery claims
// (event id, message) must leave exactly one of them answering, however their store calls
// interleave. A shared memory store stands for Redis; each instance's view of it is slowed on
// one key kind, so that instance A takes the event key first and B the message key first.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/core/store/memory-store.ts';
import type { KeyValueStore } from '../../../src/core/store/store.ts';
import { waitFor } from './fake-slack.ts';
import { directMessage, json, startHarness, type Harness } from './harness.ts';

/** The shared store, with setIfAbsent on keys starting with `slowPrefix` answered `delayMs` late. */
function slowOn(shared: KeyValueStore, slowPrefix: string, delayMs: number): KeyValueStore {
  return new Proxy(shared, {
    get(target, prop) {
      // Bound to the store itself: its private fields are not the proxy's.
      if (prop !== 'setIfAbsent') {
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (key: string, value: unknown, ttl: number) => {
        if (key.startsWith(slowPrefix)) await new Promise((resolve) => setTimeout(resolve, delayMs));
        return target.setIfAbsent(key, value, ttl);
      };
    },
  });
}

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.close();
  harnesses = [];
});

describe('one Slack delivery on two instances at once', () => {
  it('is answered exactly once, whichever claim each instance gets to first', async () => {
    const shared = new MemoryStore();
    const a = await startHarness({ store: slowOn(shared, 'slack:message:', 60) });
    const b = await startHarness({ store: slowOn(shared, 'slack:event:', 60) });
    harnesses = [a, b];
    const body = json(directMessage('無償保証で何が受けられますか？', 'U0DEDUP01'));
    const [ra, rb] = await Promise.all([a.post(body), b.post(body, { retryNum: 1 })]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    await waitFor(() => a.fake.ok('chat.postMessage').length + b.fake.ok('chat.postMessage').length >= 1, 'an answer', 5_000);
    // Time for the other instance to (wrongly) answer as well.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.fake.ok('chat.postMessage').length + b.fake.ok('chat.postMessage').length).toBe(1);
    expect(a.engineCalls.length + b.engineCalls.length).toBe(1);
    // A real answer, not the "temporarily unavailable" one: the shared store worked for the engine too.
    const [call] = [...a.engineCalls, ...b.engineCalls];
    expect(call!.replies.at(-1)!.intent).toBe('warranty_coverage');
  });
});
