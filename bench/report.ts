// Turns the sections' results into the markdown table (stdout, bench/results/latest.md) and
// checks them against the issue's targets: benchmark figures, not pass/fail tests.
import type { ChannelResult, ChannelRow } from './channels.ts';
import type { MatcherResult } from './matcher.ts';
import type { MemoryResult } from './memory.ts';
import type { StartupResult } from './startup.ts';
import type { Machine } from './lib/stats.ts';
import { mb, median, ms, pct, rate } from './lib/stats.ts';
import type { TurnResult } from './turn.ts';

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  machine: Machine;
  loadAverageAtEnd?: number[];
  options: Record<string, unknown>;
  matcher?: MatcherResult;
  turn?: TurnResult;
  channels?: ChannelResult;
  startup?: StartupResult;
  memory?: MemoryResult;
}

export interface TargetCheck {
  target: string;
  figure: string;
  met: boolean;
}

const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const ratio = (x: number): string => (x >= 100 ? `${Math.round(x).toLocaleString('en-US')}×` : `${x.toFixed(x >= 10 ? 0 : 2)}×`);

function echoOf(rows: readonly ChannelRow[], row: Pick<ChannelRow, 'channel' | 'store'>): ChannelRow | undefined {
  return rows.find((r) => r.channel === row.channel && (r.store ?? 'memory') === (row.store ?? 'memory') && r.target.startsWith('bare'));
}

/**
 * Ours against its echo app: the median over rounds of the per-round ratios (both ran in the
 * same round, a few seconds apart, so other load on the machine falls on both alike).
 */
export function versusEcho(row: ChannelRow, echo: ChannelRow): { throughput: number; cpu: number } {
  const per = (a: number[], b: number[]) => median(a.map((x, i) => x / (b[i] ?? Number.NaN)).filter(Number.isFinite));
  return {
    throughput: per(row.rounds.map((x) => x.throughput), echo.rounds.map((x) => x.throughput)),
    cpu: row.serverCpuRounds ? per(row.serverCpuRounds, echo.serverCpuRounds) : row.serverCpuMsPerRequest / echo.serverCpuMsPerRequest,
  };
}

export function checkTargets(r: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (r.matcher) {
    const ours = r.matcher.rows[0]!;
    const fuse = r.matcher.rows.find((x) => x.name.startsWith('fuse'))!;
    checks.push({ target: 'Matcher p99 ≤ 1 ms', figure: ms(ours.latency.p99Ms), met: ours.latency.p99Ms <= 1 });
    const speed = ours.throughput / fuse.throughput;
    checks.push({
      target: 'Matcher ≥ 10× plain fuse.js throughput, at higher accuracy',
      figure: `${ratio(speed)}, ${pct(ours.accuracy)} vs ${pct(fuse.accuracy)}`,
      met: speed >= 10 && ours.accuracy > fuse.accuracy,
    });
  }
  if (r.turn) checks.push({ target: 'Whole turn p99 ≤ 5 ms', figure: ms(r.turn.all.p99Ms), met: r.turn.all.p99Ms <= 5 });
  if (r.channels) {
    for (const row of r.channels.rows.filter((x) => x.target.startsWith('ours'))) {
      const echo = echoOf(r.channels.rows, row);
      if (!echo) continue;
      const vs = versusEcho(row, echo);
      const what = `${row.channel === 'slack' ? 'Slack' : 'Teams'}, ${row.store === 'redis' ? 'Redis' : 'memory store'}, LOG_LEVEL=info`;
      checks.push({ target: `${what}: ≥ 0.8× bare echo throughput`, figure: `${vs.throughput.toFixed(2)}×`, met: vs.throughput >= 0.8 });
      checks.push({ target: `${what}: ≤ 1.3× bare echo server CPU per event`, figure: `${vs.cpu.toFixed(2)}×`, met: vs.cpu <= 1.3 });
    }
  }
  if (r.startup) checks.push({ target: 'Start-up to /readyz ≤ 1.5 s', figure: ms(r.startup.medianReadyMs), met: r.startup.medianReadyMs <= 1500 });
  if (r.memory) {
    const s = r.memory.samples;
    const maxRss = Math.max(...s.map((x) => x.rss));
    checks.push({ target: 'Resident memory ≤ 150 MB (after GC, all points)', figure: `${mb(s[0]!.rss)} after start, max ${mb(maxRss)}`, met: maxRss <= 150 * 2 ** 20 });
    const checkpoints = s.filter((x) => x.turns > 0 && !x.label.startsWith('+'));
    const first = checkpoints[0] ?? s[0]!;
    const ten = checkpoints.at(-1) ?? s.at(-1)!;
    const repeat = s.find((x) => x.label.startsWith('+'));
    const heapGrowth = ten.heapUsed - s[0]!.heapUsed;
    // Between checkpoints, so that first-use growth (JIT, lazily built caches) is not counted per conversation.
    const perConversation = (ten.heapUsed - first.heapUsed) / Math.max(1, ten.conversations - first.conversations);
    const repeatGrowth = repeat ? repeat.heapUsed - ten.heapUsed : 0;
    checks.push({
      target: 'Heap flat across 10 000 turns (no leak across conversations)',
      figure:
        `+${mb(heapGrowth)} over ${ten.conversations.toLocaleString('en-US')} conversations; ${(perConversation / 1024).toFixed(2)} KB per new conversation between checkpoints (its stored state)` +
        (repeat ? `; ${repeatGrowth >= 0 ? '+' : '−'}${mb(Math.abs(repeatGrowth))} over ${(repeat.turns - ten.turns).toLocaleString('en-US')} more turns in the same conversations` : ''),
      // A leak grows with turns; stored state grows only with new conversations (1–2 KB each, kept for STATE_TTL_SECONDS).
      met: perConversation < 4096 && repeatGrowth < 2 * 2 ** 20,
    });
    // The first checkpoint includes warm-up (JIT code, grown young generation, sockets); a leak
    // shows as growth that goes on after it, so "flat" is judged from there on.
    const warm = s[1] ?? s[0]!;
    const steadyGrowth = Math.max(...s.slice(1).map((x) => x.rss)) - warm.rss;
    checks.push({
      target: 'RSS flat across 10 000 turns (after the first checkpoint’s warm-up)',
      figure:
        s.slice(1).map((x) => `${mb(x.rss)} ${x.label}`).join(', ') +
        ` (from ${mb(s[0]!.rss)} after start: warm-up +${mb(warm.rss - s[0]!.rss)}, then +${mb(Math.max(0, steadyGrowth))})`,
      met: steadyGrowth < 10 * 2 ** 20,
    });
  }
  return checks;
}

export function renderMarkdown(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push('# Benchmark results (`npm run bench`)', '');
  out.push(
    `Run ${r.startedAt}${r.finishedAt ? ` – ${r.finishedAt}` : ''} on ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}. ` +
      `Load average (1/5/15 min) at start ${m.loadAverageAtStart.join(' / ')}${r.loadAverageAtEnd ? `, at end ${r.loadAverageAtEnd.join(' / ')}` : ''}.`,
    '',
  );

  if (r.matcher) {
    const x = r.matcher;
    const ours = x.rows[0]!;
    out.push(`## 1. Intent matcher alone`, '');
    out.push(
      `${x.heldout} held-out questions (test/eval/heldout.jsonl), every method built in this run from the same ${x.trainingExamples.toLocaleString('en-US')} training examples of ${x.intents} intents (intents/*.yaml). ` +
        'Top-1 accuracy; per-call latency of `match()` / `search()` over all timed passes (after a warm-up); throughput = median over passes.',
      '',
    );
    out.push(
      table(
        ['Method', 'Top-1 accuracy', 'Median', 'p99', 'Throughput', 'Build', 'Timed passes'],
        x.rows.map((row) => [`${row.name}<br><sub>${row.note}</sub>`, `${pct(row.accuracy)} (${row.correct}/${row.total})`, ms(row.latency.medianMs), ms(row.latency.p99Ms), rate(row.throughput), ms(row.buildMs), String(row.passes)]),
      ),
      '',
    );
    out.push(
      table(
        ['Ours (linear) against', 'Throughput ratio', 'Accuracy difference'],
        x.rows.slice(1).map((row) => [row.name, ratio(ours.throughput / row.throughput), `${((ours.accuracy - row.accuracy) * 100).toFixed(1)} points`]),
      ),
      '',
    );
  }

  if (r.turn) {
    const t = r.turn;
    out.push('## 2. Whole turn through the engine', '');
    out.push(
      `\`engine.handle()\` in process with the memory store, one turn at a time: ${t.turns.toLocaleString('en-US')} turns over ${t.conversations.toLocaleString('en-US')} conversations ` +
        '(half ask two held-out questions, half run the guided dialog to its recommendation by clicking its buttons, sometimes typing a model number).',
      '',
    );
    out.push(
      table(
        ['Turns', 'n', 'Median', 'p99', 'Max', 'Throughput'],
        [
          ['all', String(t.all.n), ms(t.all.medianMs), ms(t.all.p99Ms), ms(t.all.maxMs), rate(t.throughput)],
          ['text (FAQ questions, typed models)', String(t.text.n), ms(t.text.medianMs), ms(t.text.p99Ms), ms(t.text.maxMs), ''],
          ['choice (button clicks)', String(t.choice.n), ms(t.choice.medianMs), ms(t.choice.p99Ms), ms(t.choice.maxMs), ''],
        ],
      ),
      '',
      `During the run: ${t.conditions.gcPauses} GC pauses, ${t.conditions.gcTotalMs} ms in total, longest ${t.conditions.gcMaxMs} ms; CPU share ${t.conditions.cpuShare}. ` +
        `Stored conversation state: ${Math.round(t.stateJsonChars.mean)} JSON characters on average (max ${t.stateJsonChars.max}).`,
      '',
    );
  }

  if (r.channels) {
    const c = r.channels;
    out.push('## 3. Channels through the real HTTP server', '');
    out.push(
      `Ours: the bundle \`dist/main.mjs\` (what \`npm start\` runs) in a child process (Slack in HTTP mode with \`SLACK_API_URL\` on a loopback fake; Teams anonymous, \`serviceUrl\` on a loopback fake Bot Connector). ` +
        `Bare echo apps: \`bench/echo-server.ts\` on the same framework versions, same fakes. Held-out questions as DMs / personal-chat messages over ${'1,000'} conversations; ` +
        `${c.options.concurrency} requests in flight, at most ${c.options.maxRequests.toLocaleString('en-US')} requests or ${c.options.maxDurationMs / 1000} s after ${c.options.warmup} warm-up requests; ` +
        `end to end = from sending the request until the fake API has received the reply (and, for Teams, the HTTP response has ended). ` +
        `${c.options.rounds} rounds over all apps, every server kept running, so that other load on the machine falls on all alike; the round with the median throughput is shown. ` +
        'Server CPU per request (user + system time of the server process, /proc) is less sensitive to that load than throughput; ' +
        'bench CPU per request is the load generator and the fake API together (one process: when it nears 1 core, it caps the echo apps\' throughput). ' +
        '"vs bare echo" and "CPU vs echo" are medians of the per-round ratios against the echo app of the same channel and store. ' +
        'With REDIS_URL: a redis-server on loopback (no persistence) shared by ours and an echo app that claims each delivery with one SET NX EX.',
      '',
    );
    out.push(
      table(
        ['Channel', 'Store', 'App', 'Throughput', 'vs bare echo', 'Median', 'p99', 'Server CPU / request', 'CPU vs echo', 'Bench CPU / request', 'Requests', 'Errors'],
        c.rows.map((row) => {
          const echo = echoOf(c.rows, row)!;
          const vs = versusEcho(row, echo);
          return [
            row.channel === 'slack' ? 'Slack events' : 'Teams activities',
            row.store === 'redis' ? 'Redis' : 'memory',
            row.target,
            rate(row.median.throughput),
            row === echo ? '1.00×' : `${vs.throughput.toFixed(2)}×`,
            ms(row.median.latency.medianMs),
            ms(row.median.latency.p99Ms),
            ms(row.serverCpuMsPerRequest),
            row === echo ? '1.00×' : `${vs.cpu.toFixed(2)}×`,
            ms(row.benchCpuMsPerRequest),
            String(row.median.completed),
            String(row.rounds.reduce((n, x) => n + x.errors, 0)),
          ];
        }),
      ),
      '',
      `All rounds (throughput; server CPU per request): ${c.rows.map((row) => `${row.channel} ${row.target}: ${row.rounds.map((x, i) => `${rate(x.throughput)} (${ms(row.serverCpuRounds?.[i] ?? Number.NaN)})`).join(', ')}`).join('; ')}.`,
      '',
    );
  }

  if (r.startup || r.memory) out.push('## 4. Start-up and memory', '');
  if (r.startup) {
    const s = r.startup;
    out.push(
      table(
        ['`node dist/main.mjs` (npm start) → first 200 from /readyz', 'Listening (banner)', 'Cold first start', 'Engine build alone, in process'],
        [[`${ms(s.medianReadyMs)} (median of ${s.readyMs.length}: ${s.readyMs.map((x) => ms(x)).join(', ')})`, ms(s.medianListeningMs), ms(s.coldReadyMs), `${ms(s.medianEngineBuildMs)} (median of ${s.engineBuildMs.length})`]],
      ),
      '',
    );
  }
  if (r.memory) {
    const x = r.memory;
    out.push(
      `\`dist/main.mjs\` (LOG_LEVEL=info, WEB_RATE_LIMIT_PER_MINUTE=100000) driven through \`POST /api/chat\` with the turn mix of section 2, ${x.concurrency} conversations at a time; ` +
        `figures after a full GC in the server (\`--expose-gc\`, bench/lib/memory-probe.mjs). Web chat turn over loopback during the run: median ${ms(x.webTurn.medianMs)}, p99 ${ms(x.webTurn.p99Ms)} (${x.errors} errors).`,
      '',
    );
    out.push(
      table(
        ['Point', 'Turns', 'Conversations', 'RSS', 'Heap used', 'Heap total', 'RSS before GC'],
        x.samples.map((s) => [s.label, s.turns.toLocaleString('en-US'), s.conversations.toLocaleString('en-US'), mb(s.rss), mb(s.heapUsed), mb(s.heapTotal), mb(s.rssBeforeGc)]),
      ),
      '',
    );
  }

  const checks = checkTargets(r);
  if (checks.length > 0) {
    out.push('## Targets', '');
    out.push(table(['Target', 'Measured', ''], checks.map((c) => [c.target, c.figure, c.met ? 'met' : '**missed**'])), '');
  }
  return out.join('\n');
}
