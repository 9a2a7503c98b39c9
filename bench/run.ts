// `npm run bench`: speed, memory and accuracy of the bot next to the obvious alternatives, in
// one run on one machine. Prints a markdown table, writes bench/results/<time>.json and, for a
// full run, bench/results/latest.md (the copy the README cites).
//   --quick            smaller counts and budgets (a smoke run; latest.md is left alone)
//   --only=a,b         sections: matcher, turn, channels, startup, memory
//   --stores=a,b       channel section: memory, redis (default both; redis needs redis-server)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { benchChannels } from './channels.ts';
import { benchMatcher } from './matcher.ts';
import { benchMemory } from './memory.ts';
import { renderMarkdown, type BenchResults } from './report.ts';
import { machine, progress } from './lib/stats.ts';
import { benchStartup } from './startup.ts';
import { benchTurn } from './turn.ts';

const SECTIONS = ['matcher', 'turn', 'channels', 'startup', 'memory'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, stores: { type: 'string' } } });
const only = new Set((values.only?.split(',') ?? SECTIONS).map((s) => s.trim()) as Section[]);
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`unknown section "${s}" (use ${SECTIONS.join(', ')})`);
const quick = values.quick ?? false;

const options = {
  quick,
  matcher: { budgetMs: quick ? 500 : 3_000 },
  turn: { warmupTurns: quick ? 200 : 1_000, maxTurns: quick ? 3_000 : 30_000, budgetMs: quick ? 2_000 : 10_000 },
  channels: { concurrency: 8, maxRequests: quick ? 300 : 1_500, maxDurationMs: quick ? 2_000 : 4_000, warmup: quick ? 50 : 300, rounds: quick ? 1 : 5, stores: (values.stores ?? 'memory,redis').split(',').map((x) => x.trim()) as ('memory' | 'redis')[] },
  startup: { starts: quick ? 2 : 5, builds: quick ? 2 : 5 },
  memory: { turns: quick ? 2_000 : 10_000, checkpoints: quick ? [1_000, 2_000] : [5_000, 10_000], repeatTurns: quick ? 1_000 : 5_000, concurrency: 8 },
};

// The channel, start-up and memory sections run the server as `npm start` does: the bundle.
if (['channels', 'startup', 'memory'].some((s) => only.has(s as Section))) {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: new URL('..', import.meta.url), stdio: 'inherit' });
  if (built.status !== 0) throw new Error('scripts/build.mjs failed');
}

const results: BenchResults = { startedAt: new Date().toISOString(), machine: machine(), options };
const started = performance.now();
if (only.has('matcher')) results.matcher = await benchMatcher(options.matcher);
if (only.has('turn')) results.turn = await benchTurn(options.turn);
if (only.has('channels')) results.channels = await benchChannels(options.channels);
if (only.has('startup')) results.startup = await benchStartup(options.startup);
if (only.has('memory')) results.memory = await benchMemory(options.memory);
results.finishedAt = new Date().toISOString();
results.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);

const markdown = renderMarkdown(results);
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const stamp = results.startedAt.replace(/[:.]/g, '-');
writeFileSync(new URL(`${stamp}${quick ? '-quick' : ''}.json`, dir), `${JSON.stringify(results, null, 2)}\n`);
if (!quick && only.size === SECTIONS.length) writeFileSync(new URL('latest.md', dir), `${markdown}\n`);
process.stdout.write(`${markdown}\n`);
progress(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
