// Bounded soak on loopback: one real server process, run as `npm start` runs it (the bundle
// dist/main.mjs, built first, with the start script's heap flags), web
// chat and Teams hammered at the same time with autocannon, a loopback fake Bot Connector
// for Teams' replies. Reports requests, p50/p99 latency, 5xx and the server's RSS before,
// midway and after; exits 1 on any 5xx or a connection error. Not part of `npm test`.
//
//   npm run soak                     60 s, memory store
//   npm run soak -- --redis          60 s against a throwaway redis-server on loopback
//   SOAK_SECONDS=20 npm run soak     shorter
//   REDIS_URL=redis://127.0.0.1:6379 npm run soak   against a Redis of your own
//
// Web chat conversation ids are issued by the server: the soak opens its 500 conversations
// during the warm-up and then keeps talking in them.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { RedisServer } from '../test/reliability/redis-server.ts';

// autocannon ships no types; the little we use of it, typed here.
interface CannonRequest {
  method: string;
  headers: Record<string, string>;
  setupRequest: (req: Record<string, unknown>) => Record<string, unknown>;
}
interface CannonOptions {
  url: string;
  requests: CannonRequest[];
}
interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  '2xx': number;
  '4xx': number;
  '5xx': number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<CannonResult>;

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Math.min(Math.max(Number(process.env.SOAK_SECONDS ?? 60), 5), 300);
const CONNECTIONS = Math.min(Math.max(Number(process.env.SOAK_CONNECTIONS ?? 8), 1), 64);
// A hard ceiling whatever the speed: the soak is bounded in count as well as in time.
const MAX_REQUESTS_PER_TARGET = 500_000;

const WEB_TEXTS = [
  '無償保証で何が受けられますか',
  'SMT1500Jの保守サービスを選びたい',
  '年間保守の申し込み方法は？',
  'SMT1500RMJ2U5W って何？',
  'オンサイトとセンドバックの違い',
  'コールセンターの電話番号',
  'What does the free warranty cover?',
  '今日の天気は？',
  'ＳＭＴ７５０ＲＭＪ１Ｕ',
  'あ'.repeat(1500),
];
const CHOICES = ['intent:help', 'intent:contact', 'intent:recommend_service', 'downtime:minimize', 'years:99'];

async function main(): Promise<void> {
  const ownRedis = process.argv.includes('--redis') && !process.env.REDIS_URL ? await RedisServer.start() : undefined;
  const redisUrl = process.env.REDIS_URL ?? ownRedis?.url;
  const connector = await startFakeConnector();
  const server = await startServer(redisUrl);
  const report: Record<string, unknown> = { seconds: SECONDS, connections: CONNECTIONS, store: redisUrl ? 'redis' : 'memory' };
  try {
    await warmUp(server.url, connector.url);
    const rssBefore = rssMb(server.pid);
    const midway = setTimeout(() => (report.rssMidwayMb = rssMb(server.pid)), (SECONDS * 1000) / 2);
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 1000);
    const [web, teams] = await Promise.all([
      run('web', webOptions(server.url)),
      run('teams', teamsOptions(server.url, connector.url)),
    ]);
    clearTimeout(midway);
    clearInterval(sampler);
    await new Promise((done) => setTimeout(done, 2000));
    Object.assign(report, {
      web,
      teams,
      connectorMessages: connector.received(),
      rssBeforeMb: rssBefore,
      rssPeakMb: peak,
      rssAfterMb: rssMb(server.pid),
    });
  } finally {
    await server.stop();
    connector.close();
    await ownRedis?.stop();
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const web = report.web as Summary;
  const teams = report.teams as Summary;
  if (web.status5xx + teams.status5xx + web.errors + teams.errors > 0) {
    process.stderr.write('soak failed: 5xx or connection errors\n');
    process.exitCode = 1;
  }
}

interface Summary {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  errors: number;
  timeouts: number;
}

async function run(name: string, options: CannonOptions): Promise<Summary> {
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: SECONDS, maxOverallRequests: MAX_REQUESTS_PER_TARGET, timeout: 10 });
  const summary: Summary = {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    status2xx: result['2xx'],
    status4xx: result['4xx'],
    status5xx: result['5xx'],
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.stderr.write(`${name}: ${JSON.stringify(summary)}\n`);
  return summary;
}

let sequence = 0;
/** Ids the server issued during the warm-up. */
const webConversations: string[] = [];

function webOptions(base: URL): CannonOptions {
  return {
    url: new URL('/api/chat', base).href,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const n = ++sequence;
          const conversation = webConversations[n % webConversations.length];
          const body = n % 4 === 0 ? { conversation, choice: CHOICES[n % CHOICES.length] } : { conversation, text: WEB_TEXTS[n % WEB_TEXTS.length] };
          return { ...req, body: JSON.stringify(body) };
        },
      },
    ],
  };
}

function teamsOptions(base: URL, serviceUrl: string): CannonOptions {
  return {
    url: new URL('/api/messages', base).href,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const n = ++sequence;
          const activity = {
            type: 'message',
            id: `soak-${n}`,
            channelId: 'msteams',
            serviceUrl,
            from: { id: `29:user-${n % 200}`, name: 'Soak' },
            recipient: { id: '28:bot', name: 'UPS Bot' },
            conversation: { id: `a:soak-${n % 300}`, conversationType: 'personal' },
            text: WEB_TEXTS[n % WEB_TEXTS.length],
            locale: n % 5 === 0 ? 'en-US' : 'ja-JP',
          };
          return { ...req, body: JSON.stringify(activity) };
        },
      },
    ],
  };
}

async function warmUp(base: URL, serviceUrl: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const res = await fetch(new URL('/api/chat', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: WEB_TEXTS[i % WEB_TEXTS.length] }) });
    const { conversation } = (await res.json()) as { conversation?: unknown };
    if (typeof conversation !== 'string') throw new Error(`warm-up: no conversation issued (HTTP ${res.status})`);
    webConversations.push(conversation);
  }
  for (let i = 0; i < 50; i++) {
    const activity = { type: 'message', id: `warm-${i}`, channelId: 'msteams', serviceUrl, conversation: { id: `a:warm-${i % 5}` }, recipient: { id: '28:bot' }, from: { id: '29:warm' }, text: WEB_TEXTS[i % WEB_TEXTS.length] };
    await fetch(new URL('/api/messages', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  }
}

interface Running {
  url: URL;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(redisUrl: string | undefined): Promise<Running> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? ROOT,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    WEB_RATE_LIMIT_PER_MINUTE: '100000',
    // Every request comes from loopback: one caller, far over the per-caller Teams default.
    TEAMS_RATE_LIMIT_PER_MINUTE: '1000000',
    WEB_NEW_CONVERSATIONS_PER_HOUR: '100000',
  };
  if (redisUrl) env.REDIS_URL = redisUrl;
  // One process (no npm or tsx wrapper), so its RSS is the server's own.
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('scripts/build.mjs failed');
  const startFlags = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/).filter((a) => a.startsWith('--'));
  const child = spawn(process.execPath, [...startFlags, 'dist/main.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  for (let waited = 0; waited < 30_000; waited += 100) {
    const match = stderr.match(/open (http:\/\/\S+) to chat/);
    if (match) {
      return {
        url: new URL(match[1]!),
        pid: child.pid!,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${stderr}`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

/** The Bot Connector as far as the bot needs it: every activity POST answered 200 at once. */
async function startFakeConnector(): Promise<{ url: string; received: () => number; close: () => void }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"sent-${received}"}`);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

await main();
