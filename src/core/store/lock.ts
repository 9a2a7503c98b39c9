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
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const lockKey = `lock:${key}`;
  const started = Date.now();
  let token: string | undefined;
  for (let attempt = 0; ; attempt++) {
    token = await guard(() => store.tryLock!(lockKey, ttlMs));
    if (token !== undefined) break;
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new LockTimeoutError(lockKey, waited);
    // Short first: the other turn is usually a few milliseconds from done.
    await sleep(Math.min(10 * 2 ** Math.min(attempt, 5), 200, waitMs - waited));
  }
  try {
    return await fn();
  } finally {
    // A failed release only delays the next turn until the lock expires; never hide fn's outcome.
    await store.unlock(lockKey, token).catch(() => undefined);
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
