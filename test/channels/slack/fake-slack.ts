// A loopback stand-in for Slack: the Web API (via SLACK_API_URL) and response_urls.
// It records every call (method, parsed body) so tests can assert on what the bot sent,
// and can be told to fail the next calls of a method (429 with Retry-After, 500).
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

export interface RecordedCall {
  /** Web API method (`chat.postMessage`) or `response_url`. */
  method: string;
  body: Record<string, any>;
  /** The HTTP status the fake answered, and its JSON body. */
  status: number;
  response: Record<string, any>;
  at: number;
}

interface Failure {
  status: number;
  retryAfter?: number;
}

export const BOT_USER_ID = 'U0BOT0001';
export const BOT_ID = 'B0BOT0001';
export const TEAM_ID = 'T0TEAM001';

/** JSON-encoded fields of form-encoded Web API calls. */
const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata']);

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly #failures = new Map<string, Failure[]>();
  readonly #always = new Map<string, Failure>();
  #server: Server | undefined;
  #ts = 1764160000;
  #url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(({ status, headers, json }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(json));
      });
    });
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  /** The value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.#url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.#url}/response/${id}`;
  }

  failNext(method: string, ...failures: Failure[]): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...failures]);
  }

  /** Every call of the method fails like this until reset(). */
  failAlways(method: string, failure: Failure): void {
    this.#always.set(method, failure);
  }

  reset(): void {
    this.calls.length = 0;
    this.#failures.clear();
    this.#always.clear();
  }

  /** Calls of one method that the fake answered with success. */
  ok(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; json: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const method = path.startsWith('/response/') ? 'response_url' : path.replace(/^\/api\//, '');
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    const failure = this.#failures.get(method)?.shift() ?? this.#always.get(method);
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      const json = { ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal_error' };
      this.calls.push({ method, body, status: failure.status, response: json, at: Date.now() });
      return { status: failure.status, headers, json };
    }
    const json = this.#answer(method, body);
    this.calls.push({ method, body, status: 200, response: json, at: Date.now() });
    return { status: 200, headers: {}, json };
  }

  #answer(method: string, body: Record<string, any>): Record<string, any> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'ups-bot', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID, is_enterprise_install: false };
      case 'chat.postMessage': {
        const ts = `${this.#ts++}.000100`;
        return { ok: true, channel: body.channel, ts, message: { type: 'message', text: body.text, user: BOT_USER_ID, bot_id: BOT_ID, ts, blocks: body.blocks } };
      }
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'views.publish':
        return { ok: true, view: { id: 'V0HOME0001', ...body.view } };
      case 'response_url':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function parseBody(raw: string, contentType: string): Record<string, any> {
  if (contentType.includes('application/json')) return raw === '' ? {} : (JSON.parse(raw) as Record<string, any>);
  const body: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) body[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  return body;
}

// ------------------------------------------------------------------ signed requests

export interface SignedPostOptions {
  secret: string;
  contentType?: 'application/json' | 'application/x-www-form-urlencoded';
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  retryNum?: number;
  /** Send without X-Slack-Signature headers. */
  unsigned?: boolean;
  /** Sign with this instead of the real body (a forged request). */
  signBody?: string;
}

export function sign(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export async function postToSlackEndpoint(url: string, rawBody: string, options: SignedPostOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  if (!options.unsigned) {
    headers['x-slack-request-timestamp'] = String(timestamp);
    headers['x-slack-signature'] = sign(options.secret, timestamp, options.signBody ?? rawBody);
  }
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(url, { method: 'POST', headers, body: rawBody });
}

/** Polls until `probe` returns a truthy value; fails with `what` after the timeout. */
export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const FIXTURES = new URL('../../fixtures/slack/', import.meta.url);

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8').trim();
}
