// The evaluation behind `npm run eval` and its floor test: every labelled question goes
// through the whole engine (a fresh conversation each), exactly as a user would send it.
import { readFileSync } from 'node:fs';
import type { Engine } from '../core/engine.ts';
import type { Reply } from '../core/reply.ts';

export interface LabelledQuestion {
  id: string;
  text: string;
  intent: string;
  lang: 'ja' | 'en';
}

export interface EvalReport {
  total: number;
  correct: number;
  accuracy: number;
  byLang: Record<string, { total: number; correct: number }>;
  perIntent: { intent: string; precision: number; recall: number; support: number }[];
  confusions: { expected: string; got: string; count: number }[];
  outOfScope: { precision: number; recall: number };
  /** Replies naming a SKU that is not printed in the tables: must be zero. */
  unsafeSkus: number;
  misses: { id: string; text: string; expected: string; got: string; confidence: number }[];
  medianMs: number;
}

export function readLabelled(file: string): LabelledQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabelledQuestion);
}

const gotIntent = (r: Reply | undefined) => (r ? (r.intent ?? 'out_of_scope') : '(none)');

export async function evaluate(engine: Engine, rows: readonly LabelledQuestion[], printedSkus: ReadonlySet<string>): Promise<EvalReport> {
  let correct = 0;
  let unsafeSkus = 0;
  const byLang: EvalReport['byLang'] = {};
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const support = new Map<string, number>();
  const confusions = new Map<string, number>();
  const misses: EvalReport['misses'] = [];
  const times: number[] = [];
  for (const [i, row] of rows.entries()) {
    const start = performance.now();
    const { replies } = await engine.handle({ conversation: `eval-${i}`, text: row.text, now: new Date('2026-11-27T10:00:00+09:00') });
    times.push(performance.now() - start);
    const last = replies.at(-1);
    const got = gotIntent(last);
    for (const r of replies) for (const s of r.skus) if (!printedSkus.has(s.sku)) unsafeSkus++;
    const lang = (byLang[row.lang] ??= { total: 0, correct: 0 });
    lang.total++;
    support.set(row.intent, (support.get(row.intent) ?? 0) + 1);
    predicted.set(got, (predicted.get(got) ?? 0) + 1);
    if (got === row.intent) {
      correct++;
      lang.correct++;
      tp.set(got, (tp.get(got) ?? 0) + 1);
    } else {
      const key = `${row.intent}\u0000${got}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
      misses.push({ id: row.id, text: row.text, expected: row.intent, got, confidence: last?.confidence ?? 0 });
    }
  }
  const intents = [...new Set([...support.keys(), ...predicted.keys()])].sort();
  const pr = (intent: string) => ({
    precision: (tp.get(intent) ?? 0) / Math.max(1, predicted.get(intent) ?? 0),
    recall: (tp.get(intent) ?? 0) / Math.max(1, support.get(intent) ?? 0),
  });
  times.sort((a, b) => a - b);
  return {
    total: rows.length,
    correct,
    accuracy: correct / Math.max(1, rows.length),
    byLang,
    perIntent: intents.map((intent) => ({ intent, ...pr(intent), support: support.get(intent) ?? 0 })),
    confusions: [...confusions]
      .map(([k, count]) => {
        const [expected, got] = k.split('\u0000') as [string, string];
        return { expected, got, count };
      })
      .sort((a, b) => b.count - a.count),
    outOfScope: pr('out_of_scope'),
    unsafeSkus,
    misses,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
  };
}
