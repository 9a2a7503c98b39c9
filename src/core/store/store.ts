// Conversation state and delivery de-duplication live behind this small interface so
// that one instance can keep them in memory and several can share Redis.
export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Stores a JSON-serialisable value that expires after ttlSeconds. */
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically stores the value only when the key is absent; true when this call stored it. */
  setIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  /** True when the backing service answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * Optional lock shared by every instance on this store (Redis): a token when this call took
   * the key for ttlMs, undefined while someone else holds it. Per-process stores leave it out;
   * the engine then relies on its in-process queue alone. See lock.ts.
   */
  tryLock?(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases the lock only if it still carries this token (it may have expired and moved on). */
  unlock?(key: string, token: string): Promise<void>;
  /**
   * tryLock and, when it took the lock, get(key), in one round trip (optional, with tryLock):
   * undefined while someone else holds the lock.
   */
  lockAndGet?(lockKey: string, ttlMs: number, key: string): Promise<{ token: string; value: unknown } | undefined>;
  /**
   * set(key) and unlock(lockKey, token) in one round trip (optional, with unlock). The lock is
   * released whether or not the write is refused (StoreFullError).
   */
  setAndUnlock?(key: string, value: unknown, ttlSeconds: number, lockKey: string, token: string): Promise<void>;
}

export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  constructor(cause?: unknown, message = 'conversation store unavailable') {
    super(message, { cause });
    this.name = 'StoreUnavailableError';
  }
}
