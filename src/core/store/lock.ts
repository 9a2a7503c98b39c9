// Per-conversation ordering across instances: when the store offers a shared lock (Redis),
// a turn runs only while it holds `lock:<key>`; otherwise the caller's in-process queue is
// all there is. The wait is bounded so that a stuck or dead holder never hangs a turn: the
// lock expires after ttlMs, and a caller gives up after waitMs with StoreUnavailableError
// (the engine's polite "temporarily unavailable" reply; the next turn works again).
import { keyTag } from './key-tag.ts';
import { StoreUnavailableError, type KeyValueStore } from './store.ts';

export interface LockOptions {
  /** How long a holder may keep the lock if it dies without releasing it. */
  ttlMs?: number;
  /** How long to wait for a lock held elsewhere before giving up. */
  waitMs?: number;
}

// A turn takes milliseconds; 10 s only matters when an instance dies mid-turn.
const DEFAULT_TTL_MS = 10_000;
const DEFAULT_WAIT_MS = 5_000;

export class LockTimeoutError extends StoreUnavailableError {
  override readonly name = 'LockTimeoutError';
  readonly key: string;
  constructor(key: string, waitedMs: number) {
    // The key holds the conversation id (a bearer token for the web chat): logs get its hash.
    super(new Error(`lock ${keyTag(key)} still held after ${waitedMs} ms`));
    this.key = key;
  }
}

export async function withConversationLock<T>(store: KeyValueStore, key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  if (store.tryLock === undefined || store.unlock === undefined) return fn();
  const lockKey = `lock:${key}`;
  const token = await acquire(lockKey, options, (ttlMs) => store.tryLock!(lockKey, ttlMs));
  try {
    return await fn();
  } finally {
    // A failed release only delays the next turn until the lock expires; never hide fn's outcome.
    await store.unlock(lockKey, token).catch(() => undefined);
  }
}

/** What a turn does with the value it read: the value to store back, and its own result. */
export interface Update<T> {
  value: unknown;
  result: T;
}

/**
 * Read, change and write one key under the conversation lock of withConversationLock: fn gets
 * the stored value (undefined when absent) and returns what to store. A store that can (Redis)
 * takes the lock and reads in one round trip, and writes and releases in one; any other reads
 * and writes inside withConversationLock. A failed read or write is a StoreUnavailableError,
 * and nothing is written when fn throws.
 */
export async function withLockedValue<T>(store: KeyValueStore, key: string, ttlSeconds: number, fn: (stored: unknown) => Promise<Update<T>>, options: LockOptions = {}): Promise<T> {
  const { lockAndGet, setAndUnlock, unlock } = store;
  if (lockAndGet === undefined || setAndUnlock === undefined || unlock === undefined) {
    return withConversationLock(
      store,
      key,
      async () => {
        const { value, result } = await fn(await guard(() => store.get(key)));
        await guard(() => store.set(key, value, ttlSeconds));
        return result;
      },
      options,
    );
  }
  const lockKey = `lock:${key}`;
  const held = await acquire(lockKey, options, (ttlMs) => lockAndGet.call(store, lockKey, ttlMs, key));
  let update: Update<T>;
  try {
    update = await fn(held.value);
  } catch (err) {
    await unlock.call(store, lockKey, held.token).catch(() => undefined);
    throw err;
  }
  // Releases the lock whatever becomes of the write (the store retries a release it could not send).
  await guard(() => setAndUnlock.call(store, key, update.value, ttlSeconds, lockKey, held.token));
  return update.result;
}

/** Takes the lock, retrying with a short backoff while someone else holds it, for at most waitMs. */
async function acquire<H>(lockKey: string, options: LockOptions, take: (ttlMs: number) => Promise<H | undefined>): Promise<H> {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const held = await guard(() => take(ttlMs));
    if (held !== undefined) return held;
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new LockTimeoutError(lockKey, waited);
    // Short first: the other turn is usually a few milliseconds from done.
    await sleep(Math.min(10 * 2 ** Math.min(attempt, 5), 200, waitMs - waited));
  }
}

async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError(err);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
