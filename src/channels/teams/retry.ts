// Outbound calls to the Bot Connector: a 429 or a 5xx is retried with exponential back-off,
// honouring Retry-After, and every retry is logged. The Agents SDK's HTTP client retries
// nothing itself, so this is the one policy. A call that timed out or was aborted is not
// retried (the connector may have it already, and the turn's deadline is what ended it), and
// no wait outlasts the turn's deadline signal.
import type { Logger } from '../../logger.ts';

/**
 * A failed connector call, reduced to what the channel needs: the SDK's errors carry the
 * whole outgoing activity (and the request config), which must not end up in the logs.
 */
export class ConnectorCallError extends Error {
  override readonly name = 'ConnectorCallError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly retryAfter: string | undefined,
  ) {
    super(message);
  }

  static from(err: unknown): ConnectorCallError {
    if (err instanceof ConnectorCallError) return err;
    const status = statusOf(err);
    const code = codeOf(err);
    // An HTTP error's message may quote the response; only the status is kept. Others (socket
    // errors, timeouts, the SDK's own checks) say what went wrong without any payload.
    const detail = (err as { message?: unknown } | null)?.message;
    const message =
      status !== undefined ? `Bot Connector answered ${status}` : `Bot Connector call failed (${code ?? errorName(err)}${typeof detail === 'string' ? `: ${detail.slice(0, 200)}` : ''})`;
    return new ConnectorCallError(message, status, code, headerOf(err, 'retry-after'));
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  /** Upper bound for one wait, Retry-After included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 15_000 };

const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ESOCKETTIMEDOUT', 'REQUEST_SEND_ERROR']);

export interface RetryDeps {
  logger: Logger;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** The turn's deadline (or shutdown): no retry starts, and no wait goes on, after it. */
  signal?: AbortSignal;
}

export async function withRetry<T>(what: string, call: () => Promise<T>, policy: RetryPolicy, deps: RetryDeps): Promise<T> {
  const sleep = deps.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const status = statusOf(err);
      if (attempt >= policy.retries || !isRetryable(err, status) || deps.signal?.aborted) throw err;
      const delayMs = retryDelayMs(err, attempt, policy, deps.now ?? Date.now);
      deps.logger.warn({ what, status, code: codeOf(err), attempt: attempt + 1, delayMs }, 'Bot Connector call failed; retrying');
      await sleep(delayMs, deps.signal);
      if (deps.signal?.aborted) throw err;
    }
  }
}

/** Resolves after `ms`, or as soon as the signal aborts (the caller then gives up). */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function retryDelayMs(err: unknown, attempt: number, policy: RetryPolicy, now: () => number): number {
  const retryAfter = retryAfterMs(headerOf(err, 'retry-after'), now);
  const backoff = policy.baseDelayMs * 2 ** attempt;
  return Math.min(retryAfter ?? backoff, policy.maxDelayMs);
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now: () => number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now()) : undefined;
}

function isRetryable(err: unknown, status: number | undefined): boolean {
  if (status !== undefined) return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
  const code = codeOf(err);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  if (err instanceof ConnectorCallError) return err.status;
  const status = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Node's fetch puts the socket error's code on `cause`; a timeout or abort is named. */
function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'string') return code;
  const name = errorName(err);
  return name === 'TimeoutError' || name === 'AbortError' ? name : undefined;
}

function errorName(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'error';
}

/** Works for the SDK's RestError (headers.get) and for plain header records. */
function headerOf(err: unknown, name: string): string | undefined {
  if (err instanceof ConnectorCallError) return name === 'retry-after' ? err.retryAfter : undefined;
  const headers = (err as { response?: { headers?: unknown } } | null)?.response?.headers;
  if (headers === undefined || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(n: string): unknown }).get(name);
    return typeof value === 'string' ? value : undefined;
  }
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
