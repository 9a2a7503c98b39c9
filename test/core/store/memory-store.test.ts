// The in-memory store: TTLs, set-if-absent, isolation of stored values, and a bounded size.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/core/store/memory-store.ts';

describe('MemoryStore', () => {
  it('forgets values after their TTL', async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    await store.set('a', { n: 1 }, 10);
    expect(await store.get('a')).toEqual({ n: 1 });
    now = 10_000;
    expect(await store.get('a')).toBeUndefined();
  });

  it('stores a value only when absent, until it expires', async () => {
    let now = 0;
    const store = new MemoryStore(() => now);
    expect(await store.setIfAbsent('event:1', true, 600)).toBe(true);
    expect(await store.setIfAbsent('event:1', true, 600)).toBe(false);
    now = 600_000;
    expect(await store.setIfAbsent('event:1', true, 600)).toBe(true);
  });

  it('hands out copies, so callers cannot change stored state by accident', async () => {
    const store = new MemoryStore();
    const value = { slots: { timing: 'owned' } };
    await store.set('c', value, 60);
    value.slots.timing = 'new_purchase';
    const read = await store.get<typeof value>('c');
    read!.slots.timing = 'changed';
    expect(await store.get('c')).toEqual({ slots: { timing: 'owned' } });
  });

  it('stays within its size bound, dropping the least recently written entries first', async () => {
    const store = new MemoryStore(Date.now, 3);
    for (const k of ['a', 'b', 'c']) await store.set(k, k, 60);
    await store.set('a', 'a2', 60); // a is now the most recent write
    await store.set('d', 'd', 60);
    expect(store.size).toBe(3);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('a2');
    expect(await store.get('d')).toBe('d');
  });
});
