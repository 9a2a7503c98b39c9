// Outbound calls to the Bot Connector: a 429 or a 5xx is retried with exponential back-off,
// honouring Retry-After, and every retry is logged. The SDK's own HTTP retry is switched
// off in adapter.ts so that this is the one policy (and the one that logs).
import type { Logger } from '../../logger.ts';

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
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function withRetry<T>(what: string, call: () => Promise<T>, policy: RetryPolicy, deps: RetryDeps): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const status = statusOf(err);
      if (attempt >= policy.retries || !isRetryable(err, status)) throw err;
      const delayMs = retryDelayMs(err, attempt, policy, deps.now ?? Date.now);
      deps.logger.warn({ what, status, code: codeOf(err), attempt: attempt + 1, delayMs }, 'Bot Connector call failed; retrying');
      await sleep(delayMs);
    }
  }
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
  const status = e?.statusCode ?? e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Works for the SDK's RestError (headers.get) and for plain header records. */
function headerOf(err: unknown, name: string): string | undefined {
  const headers = (err as { response?: { headers?: unknown } } | null)?.response?.headers;
  if (headers === undefined || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(n: string): unknown }).get(name);
    return typeof value === 'string' ? value : undefined;
  }
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
