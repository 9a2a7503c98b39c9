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
  #sweepAt = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const entry = this.#live(key);
    return entry === undefined ? undefined : (JSON.parse(entry.json) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.#sweep();
    this.#entries.set(key, { json: JSON.stringify(value), expiresAt: this.#now() + ttlSeconds * 1000 });
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
