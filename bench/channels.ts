// Section 3: Slack and Teams through the real HTTP server (dist/main.mjs, as npm start runs it, in a child process) on
// loopback, each next to a bare echo app on the same framework (bench/echo-server.ts), with
// the remote API faked in this process. A request counts as done when the fake has received
// the reply (Slack acknowledges before the work) and, for Teams, the HTTP response has ended.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BOT_USER_ID, FakeConnector, FakeSlackApi, TEAM_ID } from './lib/fakes.ts';
import { createClient, runLoad, type LoadResult } from './lib/load.ts';
import { ECHO_URL, ROOT, spawnMain, spawnServer, type Child } from './lib/processes.ts';
import { RedisServer } from '../test/reliability/redis-server.ts';
import { median, progress } from './lib/stats.ts';
import { heldoutQuestions } from './lib/workload.ts';

const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-bench-token';
const REPLY_TIMEOUT_MS = 10_000;
/** Conversations the load spreads over (users for Slack DMs, chats for Teams). */
const CONVERSATIONS = 1000;

export interface ChannelOptions {
  concurrency: number;
  maxRequests: number;
  maxDurationMs: number;
  warmup: number;
  /**
   * Rounds over all targets (ours, echo, …, ours, echo, …) with every server kept running, so
   * that other load on the machine hits all targets alike; the median round is reported.
   */
  rounds: number;
  /** Which stores to run: the memory store, Redis (needs redis-server on PATH), or both. */
  stores?: readonly ('memory' | 'redis')[];
}

export interface ChannelRow {
  channel: 'slack' | 'teams';
  store: 'memory' | 'redis';
  target: string;
  note: string;
  /** The round with the median throughput. */
  median: LoadResult;
  rounds: LoadResult[];
  /** Server CPU time (user + system, from /proc) per completed request, median over rounds. */
  serverCpuMsPerRequest: number;
  /** The same per round. */
  serverCpuRounds: number[];
  /** CPU time of this process (load generator + fake API) per request, median over rounds. */
  benchCpuMsPerRequest: number;
  /** Replies beyond one per request (ours may answer a turn with several messages). */
  extraReplies: number;
}

export interface ChannelResult {
  rows: ChannelRow[];
  options: ChannelOptions;
}

interface Target {
  channel: 'slack' | 'teams';
  name: string;
  note: string;
  /** Targets with the same server key share one server process. */
  server: string;
  store: 'memory' | 'redis';
  start(fakes: Fakes, redisUrl: string): Promise<Child>;
}

export interface Fakes {
  slack: FakeSlackApi;
  teams: FakeConnector;
}

export const oursEnv = (fakes: Fakes, logLevel: string, redisUrl?: string): Record<string, string> => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: fakes.slack.apiUrl,
  LOG_LEVEL: logLevel,
  // The load generator is one caller on loopback; the per-caller default (600/min) would refuse it.
  TEAMS_RATE_LIMIT_PER_MINUTE: '1000000',
  // The Agents SDK refuses anonymous mode (no client id, as here) under NODE_ENV=production.
  NODE_ENV: '',
  ...(redisUrl !== undefined ? { REDIS_URL: redisUrl } : {}),
});

const echo = (kind: 'slack' | 'teams', fakes: Fakes, redisUrl?: string) =>
  spawnServer({
    script: 'bench/echo-server.ts',
    args: [kind],
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: fakes.slack.apiUrl, NODE_ENV: '', ...(redisUrl !== undefined ? { REDIS_URL: redisUrl } : {}) },
    urlPattern: ECHO_URL,
  });

/** Each channel against its bare echo app, with the memory store and with Redis on loopback (REDIS_URL). */
const TARGETS: Target[] = [
  { channel: 'slack', store: 'memory', name: 'ours (dist/main.mjs, LOG_LEVEL=info)', note: 'production default: one JSON log line per turn', server: 'ours', start: (f) => spawnMain(oursEnv(f, 'info')) },
  { channel: 'slack', store: 'memory', name: 'bare Bolt echo app', note: 'App + ExpressReceiver, chat.postMessage echo', server: 'echo-slack', start: (f) => echo('slack', f) },
  { channel: 'teams', store: 'memory', name: 'ours (dist/main.mjs, LOG_LEVEL=info)', note: 'production default: one JSON log line per turn', server: 'ours', start: (f) => spawnMain(oursEnv(f, 'info')) },
  { channel: 'teams', store: 'memory', name: 'bare Agents SDK echo bot', note: 'CloudAdapter of @microsoft/agents-hosting (anonymous), sendActivity echo', server: 'echo-teams', start: (f) => echo('teams', f) },
  { channel: 'slack', store: 'redis', name: 'ours (dist/main.mjs, LOG_LEVEL=info, REDIS_URL)', note: 'state, de-duplication and the conversation lock in Redis', server: 'ours-redis', start: (f, r) => spawnMain(oursEnv(f, 'info', r)) },
  { channel: 'slack', store: 'redis', name: 'bare Bolt echo app + SET NX per event', note: 'the echo, de-duplicated by event_id in the same Redis', server: 'echo-slack-redis', start: (f, r) => echo('slack', f, r) },
  { channel: 'teams', store: 'redis', name: 'ours (dist/main.mjs, LOG_LEVEL=info, REDIS_URL)', note: 'state, de-duplication, offered labels and the lock in Redis', server: 'ours-redis', start: (f, r) => spawnMain(oursEnv(f, 'info', r)) },
  { channel: 'teams', store: 'redis', name: 'bare echo bot + SET NX per activity', note: 'the echo, de-duplicated by activity id in the same Redis', server: 'echo-teams-redis', start: (f, r) => echo('teams', f, r) },
];

/** CPU time a process has used so far (Linux /proc; NaN elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  try {
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
const CLOCK_TICKS = 100;

export function slackSender(fakes: Fakes, base: URL, texts: readonly string[], client: ReturnType<typeof createClient>) {
  const template = JSON.parse(readFileSync(`${ROOT}/test/fixtures/slack/message_im.json`, 'utf8')) as Record<string, any>;
  const url = new URL('/slack/events', base);
  const run = `${Date.now() % 1_000_000}`;
  return async (i: number): Promise<void> => {
    // A DM from one of CONVERSATIONS users, in a channel of its own so the reply can be matched.
    const channel = `D${run}x${i}`;
    const ts = `${1764150000 + i}.${String(i % 1_000_000).padStart(6, '0')}`;
    const envelope = {
      ...template,
      team_id: TEAM_ID,
      event_id: `Ev${run}x${i}`,
      event: { ...template.event, user: `U${i % CONVERSATIONS}`, team: TEAM_ID, channel, ts, event_ts: ts, text: texts[i % texts.length] },
      authorizations: [{ ...template.authorizations[0], team_id: TEAM_ID, user_id: BOT_USER_ID }],
    };
    const body = JSON.stringify(envelope);
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const replied = fakes.slack.replies.expect(channel, REPLY_TIMEOUT_MS);
    const res = await client.post(url, body, { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature });
    if (res.status !== 200) {
      replied.catch(() => undefined);
      throw new Error(`Slack endpoint answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
    await replied;
  };
}

export function teamsSender(fakes: Fakes, base: URL, texts: readonly string[], client: ReturnType<typeof createClient>) {
  const template = JSON.parse(readFileSync(`${ROOT}/test/fixtures/teams/personal-message.json`, 'utf8')) as Record<string, any>;
  const url = new URL('/api/messages', base);
  const run = `${Date.now() % 1_000_000}`;
  return async (i: number): Promise<void> => {
    const id = `bench${run}x${i}`;
    const activity = {
      ...template,
      id,
      serviceUrl: fakes.teams.serviceUrl,
      text: texts[i % texts.length],
      conversation: { ...template.conversation, id: `a:bench-${run}-${i % CONVERSATIONS}` },
    };
    const replied = fakes.teams.replies.expect(id, REPLY_TIMEOUT_MS);
    const res = await client.post(url, JSON.stringify(activity), { 'content-type': 'application/json' });
    if (res.status < 200 || res.status >= 300) {
      replied.catch(() => undefined);
      throw new Error(`Teams endpoint answered ${res.status}: ${res.body.slice(0, 200)}`);
    }
    await replied;
  };
}

export async function benchChannels(options: ChannelOptions): Promise<ChannelResult> {
  const fakes: Fakes = { slack: new FakeSlackApi(), teams: new FakeConnector() };
  await fakes.slack.start();
  await fakes.teams.start();
  const texts = heldoutQuestions().map((q) => q.text);
  const stores = options.stores ?? ['memory', 'redis'];
  const targets = TARGETS.filter((t) => stores.includes(t.store));
  const redis = stores.includes('redis') ? await RedisServer.start(['--maxmemory-policy', 'noeviction']) : undefined;
  const servers = new Map<string, Child>();
  const results = new Map<Target, { rounds: LoadResult[]; cpu: number[]; benchCpu: number[]; extra: number }>(targets.map((t) => [t, { rounds: [], cpu: [], benchCpu: [], extra: 0 }]));
  const client = createClient(options.concurrency);
  try {
    for (const target of targets) {
      if (servers.has(target.server)) continue;
      progress(`channels: starting ${target.server}`);
      servers.set(target.server, await target.start(fakes, redis?.url ?? ''));
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const target of targets) {
        progress(`channels: ${target.channel} ${target.name}, round ${round + 1}/${options.rounds}`);
        const child = servers.get(target.server)!;
        const waiters = target.channel === 'slack' ? fakes.slack.replies : fakes.teams.replies;
        const send = target.channel === 'slack' ? slackSender(fakes, child.url, texts, client) : teamsSender(fakes, child.url, texts, client);
        // Warm-up only in the first round; later rounds find the server warm.
        const warmup = round === 0 ? options.warmup : 0;
        const entry = results.get(target)!;
        const unmatched = waiters.unmatched;
        let cpuAtStart = Number.NaN;
        let benchCpuAtStart = process.cpuUsage();
        const result = await runLoad({
          ...options,
          warmup,
          send,
          onMeasureStart: () => {
            cpuAtStart = cpuMsOf(child.proc.pid);
            benchCpuAtStart = process.cpuUsage();
          },
        });
        const benchCpu = process.cpuUsage(benchCpuAtStart);
        entry.rounds.push(result);
        entry.cpu.push((cpuMsOf(child.proc.pid) - cpuAtStart) / Math.max(1, result.completed));
        entry.benchCpu.push((benchCpu.user + benchCpu.system) / 1000 / Math.max(1, result.completed));
        entry.extra += waiters.unmatched - unmatched;
      }
    }
  } finally {
    client.close();
    for (const child of servers.values()) await child.stop();
    await fakes.slack.stop();
    await fakes.teams.stop();
    await redis?.stop();
  }
  const rows: ChannelRow[] = targets.map((target) => {
    const { rounds, cpu, benchCpu, extra } = results.get(target)!;
    const byThroughput = [...rounds].sort((a, b) => a.throughput - b.throughput);
    return {
      channel: target.channel,
      store: target.store,
      target: target.name,
      note: target.note,
      median: byThroughput[Math.floor(byThroughput.length / 2)]!,
      rounds,
      serverCpuMsPerRequest: median(cpu),
      serverCpuRounds: cpu,
      benchCpuMsPerRequest: median(benchCpu),
      extraReplies: extra,
    };
  });
  return { rows, options };
}
