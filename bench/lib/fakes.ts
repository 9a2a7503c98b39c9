// Loopback stand-ins for the remote APIs the channels call: the Slack Web API (SLACK_API_URL)
// and the Bot Framework Connector (the activity's serviceUrl). Unlike the test fakes they keep
// no log: each expected reply is a waiter keyed by where it goes, resolved when the reply lands.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const BOT_USER_ID = 'U0BENCHBOT';
export const BOT_ID = 'B0BENCHBOT';
export const TEAM_ID = 'T0BENCH01';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

class Waiters {
  readonly #waiting = new Map<string, Waiter>();
  /** Replies that matched no waiter (a second reply to one turn, or a late one). */
  unmatched = 0;
  delivered = 0;

  expect(key: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(key);
        reject(new Error(`no reply for ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(key, { resolve, reject, timer });
    });
  }

  arrived(key: string): void {
    this.delivered++;
    const waiter = this.#waiting.get(key);
    if (waiter === undefined) {
      this.unmatched++;
      return;
    }
    this.#waiting.delete(key);
    clearTimeout(waiter.timer);
    waiter.resolve();
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer({ keepAlive: true }, handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The Slack Web API: auth.test and chat.postMessage; a reply is keyed by its channel. */
export class FakeSlackApi {
  readonly replies = new Waiters();
  #server: Server | undefined;
  #url = '';
  #ts = 1764160000;

  async start(): Promise<void> {
    const { server, url } = await listen((req, res) => void this.#handle(req, res));
    this.#server = server;
    this.#url = url;
  }

  get apiUrl(): string {
    return `${this.#url}/api/`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    let json: Record<string, unknown>;
    if (method === 'auth.test') {
      json = { ok: true, url: 'https://bench.slack.com/', team: 'Bench', user: 'ups-bot', team_id: TEAM_ID, user_id: BOT_USER_ID, bot_id: BOT_ID };
    } else if (method === 'chat.postMessage') {
      const type = req.headers['content-type'] ?? '';
      // Only the channel is needed: a regex instead of parsing the whole form (blocks make it large).
      const channel = type.includes('json') ? String((JSON.parse(raw) as { channel?: unknown }).channel) : decodeURIComponent(/(?:^|&)channel=([^&]*)/.exec(raw)?.[1] ?? '');
      const ts = `${this.#ts++}.000100`;
      json = { ok: true, channel, ts, message: { ts, user: BOT_USER_ID, bot_id: BOT_ID } };
      this.replies.arrived(channel);
    } else {
      json = { ok: true };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  }

  stop(): Promise<void> {
    return this.#server ? stop(this.#server) : Promise.resolve();
  }
}

/** The Bot Connector: POST /v3/conversations/:id/activities/:replyTo; a message is keyed by replyTo. */
export class FakeConnector {
  readonly replies = new Waiters();
  typing = 0;
  #server: Server | undefined;
  #url = '';
  #next = 0;

  async start(): Promise<void> {
    const { server, url } = await listen((req, res) => void this.#handle(req, res));
    this.#server = server;
    this.#url = url;
  }

  get serviceUrl(): string {
    return this.#url;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const match = /^\/v3\/conversations\/[^/]+\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (req.method !== 'POST' || match === null) {
      res.writeHead(404).end();
      return;
    }
    const type = (JSON.parse(raw) as { type?: unknown }).type;
    if (type === 'message') this.replies.arrived(decodeURIComponent(match[1] ?? ''));
    else this.typing++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `sent-${++this.#next}` }));
  }

  stop(): Promise<void> {
    return this.#server ? stop(this.#server) : Promise.resolve();
  }
}
