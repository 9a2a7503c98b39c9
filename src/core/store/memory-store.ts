// The default store: one process only. Values are cloned through JSON so that callers
// can never mutate stored state by accident (and so it behaves like Redis). Entries are
// kept per budget (budgets.ts): a full budget refuses a new key, it never drops an old one.
import { budgetMatcher, defaultBudgets, StoreFullError, type Budget } from './budgets.ts';
import type { KeyValueStore } from './store.ts';

interface Entry {
  json: string;
  expiresAt: number;
}

interface Space {
  budget: Budget;
  entries: Map<string, Entry>;
  /** No sweep of a full space before this time: a flood of refused newcomers stays cheap. */
  sweepAt: number;
}

export interface MemoryStoreOptions {
  /** The budgets by key prefix; defaultBudgets() when absent. Keys matching none are refused. */
  budgets?: readonly Budget[];
}

export class MemoryStore implements KeyValueStore {
  readonly #spaces = new Map<string, Space>();
  readonly #budgetOf: (key: string) => Budget | undefined;
  readonly #now: () => number;
  #sweepAt = 0;

  /**
   * The budgets bound memory (about 1 KB a conversation): npm start caps the heap at 160 MB;
   * more conversations than the defaults belong in Redis (REDIS_URL).
   */
  constructor(now: () => number = Date.now, options: MemoryStoreOptions = {}) {
    this.#now = now;
    this.#budgetOf = budgetMatcher(options.budgets ?? defaultBudgets());
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.#live(key);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.#sweep();
    const space = this.#space(key);
    const now = this.#now();
    if (!space.entries.has(key) && space.entries.size >= space.budget.maxEntries) {
      if (now >= space.sweepAt) {
        space.sweepAt = now + 1_000;
        for (const [k, entry] of space.entries) if (entry.expiresAt <= now) space.entries.delete(k);
      }
      if (space.entries.size >= space.budget.maxEntries) throw new StoreFullError(space.budget);
    }
    space.entries.set(key, { json: JSON.stringify(value), expiresAt: now + ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.#spaceIfAny(key)?.entries.delete(key);
  }

  async setIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    await this.set(key, value, ttlSeconds);
    return true;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.#spaces.clear();
  }

  /** Entries held, over every budget (expired ones until they are swept). */
  get size(): number {
    let size = 0;
    for (const space of this.#spaces.values()) size += space.entries.size;
    return size;
  }

  #spaceIfAny(key: string): Space | undefined {
    const budget = this.#budgetOf(key);
    return budget === undefined ? undefined : this.#spaces.get(budget.name);
  }

  #space(key: string): Space {
    const budget = this.#budgetOf(key);
    if (budget === undefined) throw new StoreFullError({ name: 'none', prefixes: [], maxEntries: 0 });
    let space = this.#spaces.get(budget.name);
    if (space === undefined) {
      space = { budget, entries: new Map(), sweepAt: 0 };
      this.#spaces.set(budget.name, space);
    }
    return space;
  }

  #live(key: string): Entry | undefined {
    const space = this.#spaceIfAny(key);
    const entry = space?.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      space!.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops expired entries at most once a minute so memory stays flat without a timer. */
  #sweep(): void {
    const now = this.#now();
    if (now < this.#sweepAt) return;
    this.#sweepAt = now + 60_000;
    for (const space of this.#spaces.values()) for (const [key, entry] of space.entries) if (entry.expiresAt <= now) space.entries.delete(key);
  }
}
