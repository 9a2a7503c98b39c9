// The in-memory store: TTLs, set-if-absent, isolation of stored values, and a bounded size.
import { describe, expect, it } from 'vitest';
import { budgetMatcher, defaultBudgets, StoreFullError } from '../../../src/core/store/budgets.ts';
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

  it('keeps each budget apart: a flood fills its own budget and is refused there, nothing else is dropped', async () => {
    const budgets = [
      { name: 'teams', prefixes: ['conv:teams:', 'channel:teams:seen:'], maxEntries: 3 },
      { name: 'slack', prefixes: ['slack:event:'], maxEntries: 3 },
      { name: 'other', prefixes: [''], maxEntries: 3 },
    ];
    const store = new MemoryStore(Date.now, { budgets });
    expect(await store.setIfAbsent('slack:event:Ev1', 1, 60)).toBe(true);
    await store.set('conv:web:alice', { phase: 'asking' }, 60);
    for (let i = 0; i < 3; i++) await store.set(`conv:teams:flood-${i}`, i, 60);
    await expect(store.set('conv:teams:flood-3', 3, 60)).rejects.toBeInstanceOf(StoreFullError);
    await expect(store.setIfAbsent('channel:teams:seen:x', 1, 60)).rejects.toThrow(/teams is full/);
    // What other channels and callers stored is all still there; an existing key can still be written.
    expect(await store.setIfAbsent('slack:event:Ev1', 1, 60)).toBe(false);
    expect(await store.get('conv:web:alice')).toEqual({ phase: 'asking' });
    await store.set('conv:teams:flood-0', 'updated', 60);
    expect(await store.get('conv:teams:flood-0')).toBe('updated');
  });

  it('makes room again as entries expire or are deleted', async () => {
    let now = 0;
    const store = new MemoryStore(() => now, { budgets: [{ name: 'all', prefixes: [''], maxEntries: 2 }] });
    await store.set('a', 1, 10);
    await store.set('b', 2, 60);
    await expect(store.set('c', 3, 60)).rejects.toBeInstanceOf(StoreFullError);
    await store.delete('b');
    await store.set('c', 3, 60);
    now = 10_000;
    await store.set('d', 4, 60);
    expect(await store.get('c')).toBe(3);
    expect(await store.get('d')).toBe(4);
  });

  it('puts every key of the bot into a budget of its own purpose', () => {
    const budgetOf = budgetMatcher(defaultBudgets({ conversationsPerChannel: 100 }));
    expect(budgetOf('conv:web:abc')?.name).toBe('conversations:web');
    expect(budgetOf('conv:slack:T1:dm:U1')?.name).toBe('conversations:slack');
    expect(budgetOf('conv:teams:a:1')?.name).toBe('conversations:teams');
    expect(budgetOf('slack:event:Ev1')?.name).toBe('slack:deliveries');
    expect(budgetOf('slack:trigger:123.456')?.name).toBe('slack:deliveries');
    expect(budgetOf('channel:teams:seen:a:1')?.name).toBe('teams:deliveries');
    expect(budgetOf('web:session:xyz')?.name).toBe('web:sessions');
    expect(budgetOf('conv:c1')?.name).toBe('other');
  });
});
