// One loopback server standing in for everything the bot calls out to: the Slack Web API
// (/api/<method>), Slack response_urls (/response/<id>) and the Bot Connector
// (/v3/conversations/…). It records every call, and can be switched to misbehave:
// auth.test rate-limited, or every call hanging (accepted, never answered).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  kind: 'slack' | 'response_url' | 'connector';
  /** Web API method, response id, or connector conversation id. */
  name: string;
  body: string;
  at: number;
}

export class Upstream {
  readonly calls: Call[] = [];
  /** auth.test answers 429 with this Retry-After (seconds); undefined: answers ok. */
  authTestRetryAfter: number | undefined;
  /** Accept every request and never answer it. */
  hang = false;
  #server: Server | undefined;
  #held: ServerResponse[] = [];
  #ts = 1764160000;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer({ keepAlive: true }, (req, res) => void this.#handle(req, res));
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get slackApiUrl(): string {
    return `${this.url}/api/`;
  }

  count(kind: Call['kind'], name?: string): number {
    return this.calls.filter((c) => c.kind === kind && (name === undefined || c.name === name)).length;
  }

  /** Connector messages (typing left out) whose body contains `text`. */
  connectorMessages(text?: string): number {
    return this.calls.filter((c) => c.kind === 'connector' && c.body.includes('"type":"message"') && (text === undefined || c.body.includes(text))).length;
  }

  async stop(): Promise<void> {
    for (const res of this.#held) res.destroy();
    this.#server?.closeAllConnections();
    await new Promise((done) => this.#server?.close(() => done(undefined)) ?? done(undefined));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://upstream').pathname;
    const connector = /^\/v3\/conversations\/([^/]+)\/activities/.exec(path);
    const call: Call = connector
      ? { kind: 'connector', name: decodeURIComponent(connector[1]!), body, at: Date.now() }
      : path.startsWith('/response/')
        ? { kind: 'response_url', name: path.slice('/response/'.length), body, at: Date.now() }
        : { kind: 'slack', name: path.replace(/^\/api\//, ''), body, at: Date.now() };
    this.calls.push(call);
    if (this.hang) {
      this.#held.push(res);
      return;
    }
    if (call.kind === 'slack' && call.name === 'auth.test' && this.authTestRetryAfter !== undefined) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(this.authTestRetryAfter) }).end('{"ok":false,"error":"ratelimited"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (call.kind === 'connector') return void res.end(`{"id":"sent-${this.calls.length}"}`);
    if (call.kind === 'response_url') return void res.end('{"ok":true}');
    switch (call.name) {
      case 'auth.test':
        return void res.end(JSON.stringify({ ok: true, team_id: 'T0CHAOS01', user_id: 'U0CHAOSBOT', bot_id: 'B0CHAOSBOT' }));
      case 'chat.postMessage': {
        const ts = `${this.#ts++}.000100`;
        return void res.end(JSON.stringify({ ok: true, channel: 'D0CHAOS', ts, message: { ts } }));
      }
      default:
        return void res.end('{"ok":true}');
    }
  }
}
