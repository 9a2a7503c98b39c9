// Test harness for the Teams channel over real HTTP: the shared Express app with the channel
// mounted on port 0, and a loopback fake of the Bot Connector that records every POST.
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import type { TeamsConfig } from '../../../src/config.ts';
import { createTeamsChannel, type TeamsChannelOptions } from '../../../src/channels/teams/index.ts';
import type { Channel } from '../../../src/channels/channel.ts';
import type { Engine, Reply, Turn } from '../../../src/core/index.ts';
import type { Logger } from '../../../src/logger.ts';

export const LIMITS = { rateLimitPerMinute: 100_000, maxInFlight: 200, connectorTimeoutMs: 2_000, turnTimeoutMs: 4_000 };
export const ANONYMOUS: TeamsConfig = { appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined, anonymous: true, ...LIMITS };

export interface ConnectorCall {
  conversationId: string;
  replyToId: string | undefined;
  status: number;
  /** The Authorization header the bot sent (anonymous: none). */
  authorization: string | undefined;
  body: Record<string, unknown> & { type: string };
}

export interface FakeConnector {
  url: string;
  /** Every POST /v3/conversations/:id/activities(/:replyTo), failed ones included. */
  calls: ConnectorCall[];
  /** Successfully delivered message activities (typing left out). */
  messages(): ConnectorCall[];
  /** The next `times` message POSTs get this status and headers. */
  failNextMessages(times: number, status: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const failures: { status: number; headers: Record<string, string> }[] = [];
  let next = 0;
  const server = createServer(async (req, res) => {
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(await readBody(req)) as ConnectorCall['body'];
    const failure = body.type === 'message' ? failures.shift() : undefined;
    const status = failure?.status ?? 200;
    calls.push({ conversationId: decodeURIComponent(match[1]!), replyToId: match[2] ? decodeURIComponent(match[2]) : undefined, status, authorization: req.headers.authorization, body });
    res.writeHead(status, { 'content-type': 'application/json', ...failure?.headers });
    res.end(JSON.stringify(failure ? { error: { code: 'Throttled', message: 'slow down' } } : { id: `sent-${++next}` }));
  });
  const url = await listen(server);
  return {
    url: url.replace(/\/$/, ''),
    calls,
    messages: () => calls.filter((c) => c.status === 200 && c.body.type === 'message'),
    failNextMessages(times, status, headers = {}) {
      for (let i = 0; i < times; i++) failures.push({ status, headers });
    },
    close: () => close(server),
  };
}

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/**
 * A Bot Connector that accepts every connection, reads the request and never answers: the
 * fault that used to hold one socket per activity until the server ran out of memory.
 */
export interface HangingConnector {
  url: string;
  /** Requests received so far (each is still waiting for an answer unless the caller gave up). */
  received(): number;
  /** Requests whose caller has closed the connection (timed out or aborted). */
  abandoned(): number;
  /** The most conversations with a request waiting at the same time. */
  maxOpen(): number;
  /** Conversations with a request waiting now. */
  openNow(): number;
  close(): Promise<void>;
}

export async function startHangingConnector(): Promise<HangingConnector> {
  const sockets = new Set<Socket>();
  let received = 0;
  let abandoned = 0;
  let maxOpen = 0;
  // By conversation: an activity's answer and its apology (one after the other) count once.
  const open = new Map<string, number>();
  const server = createServer((req) => {
    received++;
    const conversation = /^\/v3\/conversations\/([^/]+)/.exec(req.url ?? '')?.[1] ?? '';
    open.set(conversation, (open.get(conversation) ?? 0) + 1);
    maxOpen = Math.max(maxOpen, open.size);
    req.resume();
    req.socket.once('close', () => {
      abandoned++;
      const left = (open.get(conversation) ?? 1) - 1;
      if (left === 0) open.delete(conversation);
      else open.set(conversation, left);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const url = await listen(server);
  return {
    url: url.replace(/\/$/, ''),
    received: () => received,
    abandoned: () => abandoned,
    maxOpen: () => maxOpen,
    openNow: () => open.size,
    async close() {
      for (const socket of sockets) socket.destroy();
      await close(server);
    },
  };
}

export interface PostInit {
  contentType?: string | null;
  raw?: boolean;
  headers?: Record<string, string>;
}

export interface RunningBot {
  url: string;
  channel: Channel;
  logs: LogLine[];
  post(body: unknown, init?: PostInit): Promise<Response>;
  /** POSTs from a chosen local address (another loopback address, or the machine's LAN address). */
  postFrom(localAddress: string, body: unknown, to?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>;
  close(): Promise<void>;
}

export interface BotOptions {
  engine: Engine;
  config?: TeamsConfig;
  globalJson?: boolean;
  /** Listen on all addresses (to be reached through a non-loopback address). */
  host?: string;
  remoteAddressOf?: TeamsChannelOptions['remoteAddressOf'];
  typing?: TeamsChannelOptions['typing'];
}

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const logs: LogLine[] = [];
  const logger: Logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const channel = createTeamsChannel({
    config: options.config ?? ANONYMOUS,
    engine: options.engine,
    logger,
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 50 },
    ...(options.remoteAddressOf ? { remoteAddressOf: options.remoteAddressOf } : {}),
    ...(options.typing ? { typing: options.typing } : {}),
  });
  const app = express();
  if (options.globalJson) app.use(express.json());
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  channel.mount(app);
  const server = createServer(app);
  const url = await listen(server, options.host);
  return {
    url,
    channel,
    logs,
    post: (body, init = {}) =>
      fetch(new URL('/api/messages', url), {
        method: 'POST',
        headers: { ...(init.contentType === null ? {} : { 'content-type': init.contentType ?? 'application/json' }), ...init.headers },
        body: init.raw ? (body as string) : JSON.stringify(body),
      }),
    postFrom: (localAddress, body, to) =>
      new Promise((resolve, reject) => {
        const target = new URL('/api/messages', to ?? url);
        const payload = JSON.stringify(body);
        const req = httpRequest(
          { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path: target.pathname, method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
          (res) => {
            let text = '';
            res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    async close() {
      await channel.stop();
      await close(server);
    },
  };
}

/** An engine that records what it was asked and what it answered. */
export interface RecordingEngine extends Engine {
  turns: Turn[];
  replies: Reply[][];
}

export function recording(engine: Engine): RecordingEngine {
  const turns: Turn[] = [];
  const replies: Reply[][] = [];
  const handle: Engine['handle'] = async (turn) => {
    turns.push(turn);
    const out = await engine.handle(turn);
    replies.push(out);
    return out;
  };
  return overriding(engine, { handle, turns, replies }) as RecordingEngine;
}

/** The engine with another handle(); every other member still reaches the real engine. */
export function withHandle<E extends Engine>(engine: E, handle: Engine['handle']): E {
  return overriding(engine, { handle });
}

function overriding<E extends object>(target: E, own: Record<string, unknown>): E {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && Object.hasOwn(own, property)) return own[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

let nextId = 1;

/** A fixture from test/fixtures/teams with the fake connector's serviceUrl and a fresh id. */
export function fixture(name: string, serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const activity = JSON.parse(readFileSync(new URL(`../../fixtures/teams/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  return { ...activity, id: `${Date.now()}${nextId++}`, serviceUrl, ...overrides };
}

export function withConversation(activity: Record<string, unknown>, id: string): Record<string, unknown> {
  return { ...activity, conversation: { ...(activity['conversation'] as object), id } };
}

/** The Adaptive Card of a recorded message activity. */
export function cardOf(call: ConnectorCall): Record<string, unknown> {
  const attachments = call.body['attachments'] as { contentType: string; content: Record<string, unknown> }[] | undefined;
  const card = attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  if (!card) throw new Error(`no adaptive card in ${JSON.stringify(call.body).slice(0, 200)}`);
  return card.content;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function listen(server: Server, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, host, () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
