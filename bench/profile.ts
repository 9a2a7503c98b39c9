// `npm run bench:profile`: where the server's CPU goes per channel event. Runs dist/main.mjs
// (built first) under `--cpu-prof` with the channel section's load (Slack DMs, then Teams
// personal messages; LOG_LEVEL=info; memory store, or Redis with --redis), then folds the
// profile into self time per function and per package, divided by the events served.
// Writes bench/results/profile-<channel>[-redis].md and leaves the .cpuprofile in a temp dir.
//   --requests=N   events per channel after the warm-up (default 3000)
//   --redis        with REDIS_URL (a redis-server on a free loopback port is started)
//   --echo         profile the bare echo app of each channel instead (bench/echo-server.ts)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { slackSender, teamsSender, oursEnv, type Fakes } from './channels.ts';
import { FakeConnector, FakeSlackApi } from './lib/fakes.ts';
import { createClient, runLoad } from './lib/load.ts';
import { ECHO_URL, ROOT, spawnMain, spawnServer } from './lib/processes.ts';
import { RedisServer } from '../test/reliability/redis-server.ts';
import { progress } from './lib/stats.ts';
import { heldoutQuestions } from './lib/workload.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, redis: { type: 'boolean', default: false }, only: { type: 'string', default: 'slack,teams' }, echo: { type: 'boolean', default: false } } });
const requests = Number(values.requests);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Only the samples taken while the measured events ran (not start-up, warm-up or shutdown):
 * V8's profile clock and process.hrtime are both CLOCK_MONOTONIC on Linux.
 */
function window(profile: Profile, fromUs: number, toUs: number): Profile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) return;
    samples.push(id);
    timeDeltas.push(profile.timeDeltas[i] ?? 0);
  });
  return { ...profile, samples, timeDeltas };
}
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function where(url: string): string {
  if (url === '') return '(native/V8)';
  if (url.startsWith('node:')) return url;
  if (url.includes('dist/main.mjs')) return 'dist/main.mjs';
  const pkg = /node_modules\/(@[^/]+\/[^/]+|[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/((?:src|bench)\/.*)$/.exec(url);
  return src ? src[1]! : path.basename(url);
}

/** Where a module's time belongs, for the summary: ours (by layer), the frameworks, Node, V8. */
function bucketOf(module: string, fn: string): string {
  if (fn === '(garbage collector)') return 'V8: garbage collection';
  if (module === '(native/V8)') return 'V8/native: other (socket writes, microtasks, JSON, regex)';
  if (module.startsWith('src/core/store/')) return 'ours: store (memory store, Redis client glue)';
  if (module.startsWith('src/core/')) return 'ours: engine (src/core: understanding, policy, replies)';
  if (module.startsWith('src/channels/')) return 'ours: channel code (src/channels: routes, rendering, turns)';
  if (module.startsWith('src/') || module.startsWith('bench/')) return 'ours: logger, server, config';
  if (module === 'pino' || module === 'sonic-boom' || module.startsWith('pino')) return 'logging (pino)';
  if (module === 'zod') return 'zod (our schemas and the SDK\'s)';
  if (module === 'ioredis' || module.startsWith('@ioredis') || module === 'redis-errors' || module === 'redis-parser' || module === 'cluster-key-slot' || module === 'denque') return 'ioredis';
  if (module === 'fuse.js' || module === 'yaml' || module === 'fastest-levenshtein' || module.startsWith('@holiday-jp')) return 'ours: engine (src/core: understanding, policy, replies)';
  if (module.startsWith('node:')) return 'Node.js (http, streams, fetch/undici, crypto, events)';
  if (module === 'tsx' || module === 'esbuild' || module === 'get-tsconfig') return 'tsx loader (echo apps only)';
  return 'frameworks (Bolt, WebClient, Agents SDK, Express, undici, …)';
}

/** Bundle line → source module: esbuild writes a `// path` comment before each module. */
function moduleIndex(bundle: string): (line: number) => string {
  const starts: { line: number; name: string }[] = [];
  bundle.split('\n').forEach((text, i) => {
    const m = /^\/\/ ((?:node_modules|src)\/\S+)$/.exec(text);
    if (m) starts.push({ line: i, name: m[1]!.replace(/^node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*$/, '$1') });
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.name;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function fold(profile: Profile, moduleOf: (line: number) => string, events: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  const bucket = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)!;
    const name = callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const file = where(callFrame.url);
    const module = file === 'dist/main.mjs' ? moduleOf(callFrame.lineNumber) : file;
    const key = `${name} — ${module}${file === 'dist/main.mjs' ? `:${callFrame.lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    mod.set(module, (mod.get(module) ?? 0) + us);
    const b = bucketOf(module, name);
    bucket.set(b, (bucket.get(b) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => ({ k, usPerEvent: us / events, share: us / total }));
  return { totalUsPerEvent: total / events, idleUsPerEvent: idle / events, functions: top(fn, 30), modules: top(mod, 25), buckets: top(bucket, 20) };
}

/** Inclusive time of frames whose name matches, counted once per sample (for "who calls the costs"). */
function inclusive(profile: Profile, events: number, moduleOf: (line: number) => string): { k: string; usPerEvent: number }[] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const incl = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const { callFrame } = byId.get(cur)!;
      if (!callFrame.url.includes('dist/main.mjs')) continue;
      const mod = moduleOf(callFrame.lineNumber);
      if (!mod.startsWith('src/')) continue;
      const key = `${callFrame.functionName || '(anonymous)'} — ${mod}:${callFrame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  });
  return [...incl].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, us]) => ({ k, usPerEvent: us / events }));
}

/** Calls per Redis command so far, as INFO commandstats counts them. */
async function commandCounts(url: string): Promise<Map<string, number>> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const info = await client.info('commandstats');
    return new Map([...info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  } finally {
    client.disconnect();
  }
}

/**
 * Calls per event between two INFO snapshots, largest first. INFO counts the commands a script
 * runs too, under their own names, next to the EVALSHA that ran them.
 */
function perEvent(before: Map<string, number>, after: Map<string, number>, events: number): string {
  return [...after]
    .map(([name, n]) => [name, (n - (before.get(name) ?? 0)) / events] as const)
    .filter(([name, n]) => n > 0.005 && name !== 'info')
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n.toFixed(2)}`)
    .join(', ');
}

const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) throw new Error('scripts/build.mjs failed');
const moduleOf = moduleIndex(readFileSync(path.join(ROOT, 'dist/main.mjs'), 'utf8'));
const fakes: Fakes = { slack: new FakeSlackApi(), teams: new FakeConnector() };
await fakes.slack.start();
await fakes.teams.start();
const redis = values.redis ? await RedisServer.start(['--maxmemory-policy', 'noeviction']) : undefined;
const texts = heldoutQuestions().map((q) => q.text);
const client = createClient(8);
try {
  for (const channel of values.only!.split(',') as ('slack' | 'teams')[]) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ups-prof-'));
    const env = { ...oursEnv(fakes, 'info'), ...(redis ? { REDIS_URL: redis.url } : {}) };
    const profFlags = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
    const child = values.echo
      ? await spawnServer({ script: 'bench/echo-server.ts', args: [channel], env: { ...env, NODE_ENV: '' }, urlPattern: ECHO_URL, nodeFlags: profFlags })
      : await spawnMain(env, { nodeFlags: profFlags });
    const send = channel === 'slack' ? slackSender(fakes, child.url, texts, client) : teamsSender(fakes, child.url, texts, client);
    progress(`profile: ${channel}${redis ? ' + redis' : ''}, ${requests} events`);
    let fromUs = 0;
    const commandsBefore = redis ? await commandCounts(redis.url) : undefined;
    const result = await runLoad({ concurrency: 8, maxRequests: requests, maxDurationMs: 60_000, warmup: 300, send, onMeasureStart: () => (fromUs = nowUs()) });
    const toUs = nowUs();
    // Over the warm-up and the measured events alike (every one is the same kind of event).
    const commands = redis && commandsBefore ? perEvent(commandsBefore, await commandCounts(redis.url), 300 + result.completed + result.errors) : undefined;
    await child.stop();
    const events = result.completed;
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`no profile written in ${dir}`);
    const profile = window(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Profile, fromUs, toUs);
    const folded = fold(profile, moduleOf, events);
    const incl = inclusive(profile, events, moduleOf);
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ events, folded }));
    const name = `profile-${channel}${redis ? '-redis' : ''}${values.echo ? '-echo' : ''}`;
    const us = (x: number) => `${x.toFixed(1)} µs`;
    const md = [
      `# CPU profile: ${values.echo ? 'bare echo app, ' : ''}${channel}${redis ? ' with REDIS_URL (loopback)' : ', memory store'}${values.echo ? '' : ', LOG_LEVEL=info'}`,
      '',
      `\`npm run bench:profile${redis ? ' -- --redis' : ''}\` on ${new Date().toISOString()}: ${values.echo ? "bench/echo-server.ts" : "dist/main.mjs"} under \`--cpu-prof\`, ${events} events after 300 of warm-up, 8 in flight; ${result.throughput.toFixed(0)}/s under the profiler. Only samples taken while those events ran: ${us(folded.totalUsPerEvent)} of CPU per event on the main thread (idle excluded). Profile: ${path.join(dir, file)}`,
      '',
      ...(commands ? ['## Redis calls per event (INFO commandstats; the commands a script runs are counted too, under their own names)', '', commands, ''] : []),
      '## Where the time goes (self time, grouped)',
      '',
      '| Group | per event | share |',
      '|---|---|---|',
      ...folded.buckets.map((r) => `| ${r.k} | ${us(r.usPerEvent)} | ${(r.share * 100).toFixed(1)} % |`),
      '',
      '## Self time by module (bundle modules by their esbuild path comment)',
      '',
      '| Module | per event | share |',
      '|---|---|---|',
      ...folded.modules.map((r) => `| ${r.k} | ${us(r.usPerEvent)} | ${(r.share * 100).toFixed(1)} % |`),
      '',
      '## Self time by function',
      '',
      '| Function — module | per event | share |',
      '|---|---|---|',
      ...folded.functions.map((r) => `| ${r.k.replace(/\|/g, '\\|')} | ${us(r.usPerEvent)} | ${(r.share * 100).toFixed(1)} % |`),
      '',
      '## Inclusive time of our own functions (src/)',
      '',
      '| Function — module | per event |',
      '|---|---|',
      ...incl.map((r) => `| ${r.k.replace(/\|/g, '\\|')} | ${us(r.usPerEvent)} |`),
      '',
    ].join('\n');
    writeFileSync(path.join(ROOT, 'bench/results', `${name}.md`), md);
    process.stdout.write(`${md}\n`);
  }
} finally {
  client.close();
  await fakes.slack.stop();
  await fakes.teams.stop();
  await redis?.stop();
}
