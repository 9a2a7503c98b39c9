// Section 2: one whole turn through the engine (understanding + dialog + state + reply
// building), in process, one turn at a time, over the FAQ / guided-dialog mix of workload.ts.
import { buildEngine } from '../src/core/index.ts';
import { MemoryStore } from '../src/core/store/memory-store.ts';
import type { KeyValueStore } from '../src/core/store/store.ts';
import { heldoutQuestions, runConversation, type Input } from './lib/workload.ts';
import { progress, summarize, watchConditions, type RunConditions, type Summary } from './lib/stats.ts';

export interface TurnResult {
  turns: number;
  conversations: number;
  all: Summary;
  text: Summary;
  choice: Summary;
  throughput: number;
  /** Conversation state as stored (JSON), per conversation: what the memory store keeps for its TTL. */
  stateJsonChars: { mean: number; max: number };
  conditions: RunConditions;
}

/** Remembers the size of the last value written per key, to report what a conversation costs the store. */
class SizingStore implements KeyValueStore {
  readonly sizes = new Map<string, number>();
  constructor(private readonly inner: KeyValueStore) {}
  get<T>(key: string) {
    return this.inner.get<T>(key);
  }
  set(key: string, value: unknown, ttl: number) {
    if (key.startsWith('conv:')) this.sizes.set(key, JSON.stringify(value).length);
    return this.inner.set(key, value, ttl);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  setIfAbsent(key: string, value: unknown, ttl: number) {
    return this.inner.setIfAbsent(key, value, ttl);
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

export async function benchTurn(options: { maxTurns: number; budgetMs: number; warmupTurns: number }): Promise<TurnResult> {
  const store = new SizingStore(new MemoryStore());
  // Fixed clock: a weekday morning in Tokyo, the call center open.
  const now = new Date('2026-11-27T10:00:00+09:00');
  const engine = await buildEngine({ store, clock: () => now });
  const questions = heldoutQuestions();
  const text: number[] = [];
  const choice: number[] = [];
  let measuring = false;

  const run = async (k: number) =>
    runConversation(k, questions, async (input: Input) => {
      const t0 = performance.now();
      const { replies } = await engine.handle({ conversation: `bench-${k}`, ...input });
      const elapsed = performance.now() - t0;
      if (measuring) ('text' in input ? text : choice).push(elapsed);
      return replies;
    });

  progress('turn: warm-up');
  let k = 0;
  for (let turns = 0; turns < options.warmupTurns; k++) turns += await run(k);
  progress('turn: measuring');
  measuring = true;
  const watch = await watchConditions();
  const started = performance.now();
  const firstMeasured = k;
  while (text.length + choice.length < options.maxTurns && performance.now() - started < options.budgetMs) await run(k++);
  const elapsedS = (performance.now() - started) / 1000;
  const conditions = await watch.stop();
  const sizes = [...store.sizes.values()];
  return {
    turns: text.length + choice.length,
    conversations: k - firstMeasured,
    all: summarize([...text, ...choice]),
    text: summarize(text),
    choice: summarize(choice),
    throughput: (text.length + choice.length) / elapsedS,
    conditions,
    stateJsonChars: { mean: sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length), max: Math.max(...sizes) },
  };
}
