// The default store: one process only. Values are cloned through JSON so that callers
// can never mutate stored state by accident (and so it behaves like Redis).
import type { KeyValueStore } from './store.ts';

interface Entry {
  json: string;
  expiresAt: number;
}

export class MemoryStore implements KeyValueStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #maxEntries: number;
  #sweepAt = 0;

  /**
   * @param maxEntries bound on memory (about 1 KB a conversation): past it the least recently
   *   written entries go first (idle conversations), so a flood of new conversations cannot
   *   grow the process without end. npm start caps the heap at 160 MB; more conversations
   *   than this belong in Redis (REDIS_URL).
   */
  constructor(now: () => number = Date.now, maxEntries = 20_000) {
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.#live(key);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.#sweep();
    // Re-inserting moves the key to the end of the Map's order: the oldest writes stay in front.
    this.#entries.delete(key);
    this.#entries.set(key, { json: JSON.stringify(value), expiresAt: this.#now() + ttlSeconds * 1000 });
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
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
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops expired entries at most once a minute so memory stays flat without a timer. */
  #sweep(): void {
    const now = this.#now();
    if (now < this.#sweepAt) return;
    this.#sweepAt = now + 60_000;
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
  }
}
