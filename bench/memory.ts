// Section 4b: memory of the real server (dist/main.mjs in a child process, production log level)
// after start and as 10 000 web chat turns go through POST /api/chat across thousands of
// conversations; then 5 000 more turns in the same conversations. Figures are taken after a
// full GC in the child (bench/lib/memory-probe.ts), so growth means memory still referenced.
import { createClient } from './lib/load.ts';
import { spawnMain, type Child } from './lib/processes.ts';
import { progress, summarize, type Summary } from './lib/stats.ts';
import { heldoutQuestions, runConversation, type Input } from './lib/workload.ts';

export interface MemorySample {
  label: string;
  turns: number;
  conversations: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** RSS before the forced GC: what a process monitor would have shown. */
  rssBeforeGc: number;
}

export interface MemoryResult {
  samples: MemorySample[];
  /** Latency of POST /api/chat during the run, end to end over loopback. */
  webTurn: Summary;
  errors: number;
  concurrency: number;
}

interface Usage {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

function memoryOf(child: Child): Promise<{ before: Usage; after: Usage }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('memory probe did not answer')), 10_000);
    child.proc.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as { before: Usage; after: Usage });
    });
    child.proc.send('memory');
  });
}

export async function benchMemory(options: { turns: number; checkpoints: number[]; repeatTurns: number; concurrency: number }): Promise<MemoryResult> {
  const child = await spawnMain(
    { WEB_RATE_LIMIT_PER_MINUTE: '100000', WEB_NEW_CONVERSATIONS_PER_HOUR: '100000' },
    { ipc: true, nodeFlags: ['--expose-gc'], preload: ['./bench/lib/memory-probe.mjs'] },
  );
  const client = createClient(options.concurrency);
  const questions = heldoutQuestions();
  const chatUrl = new URL('/api/chat', child.url);
  const samples: MemorySample[] = [];
  const latencies: number[] = [];
  let turns = 0;
  let errors = 0;
  let conversations = 0;

  // The server issues conversation ids: conversation k's first turn goes without one.
  const ids = new Map<number, string>();
  const send = (k: number) => async (input: Input) => {
    const t0 = performance.now();
    const id = ids.get(k);
    const res = await client.post(chatUrl, JSON.stringify({ ...(id ? { conversation: id } : {}), ...input }), { 'content-type': 'application/json' });
    latencies.push(performance.now() - t0);
    turns++;
    if (res.status !== 200) {
      errors++;
      return [];
    }
    const body = JSON.parse(res.body) as { conversation?: string | null; replies: { choices: { id: string; label: string }[]; recommendation: unknown }[] };
    if (typeof body.conversation === 'string') ids.set(k, body.conversation);
    return body.replies.map((r) => ({
      choices: r.choices,
      recommendation: (r.recommendation ?? null) as never,
    }));
  };

  /** Runs whole conversations k = from, from+1, … on `concurrency` workers until `until` turns. */
  async function drive(from: number, until: number, limitK?: number): Promise<void> {
    let k = from;
    const worker = async () => {
      while (turns < until) {
        const mine = limitK === undefined ? k++ : from + (k++ - from) % limitK;
        await runConversation(mine, questions, send(mine));
        if (limitK === undefined) conversations = Math.max(conversations, mine + 1);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  }

  const sample = async (label: string) => {
    const { before, after } = await memoryOf(child);
    samples.push({ label, turns, conversations, rss: after.rss, heapUsed: after.heapUsed, heapTotal: after.heapTotal, external: after.external, rssBeforeGc: before.rss });
    progress(`memory: ${label}: rss ${(after.rss / 2 ** 20).toFixed(1)} MB, heap ${(after.heapUsed / 2 ** 20).toFixed(1)} MB`);
  };

  try {
    await sample('after start');
    for (const checkpoint of options.checkpoints) {
      await drive(conversations, checkpoint);
      await sample(`after ${checkpoint.toLocaleString('en-US')} turns`);
    }
    if (options.repeatTurns > 0) {
      // The same conversations again: state is overwritten, not added, so nothing may grow.
      await drive(0, turns + options.repeatTurns, conversations);
      await sample(`+${options.repeatTurns.toLocaleString('en-US')} turns in the same conversations`);
    }
  } finally {
    client.close();
    await child.stop();
  }
  return { samples, webTurn: summarize(latencies), errors, concurrency: options.concurrency };
}
