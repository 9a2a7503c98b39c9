// Section 1: the intent matcher alone (matcher.match) against the obvious alternatives, all
// built in this run from the same training examples (intents/*.yaml) and scored on the same
// held-out questions (test/eval/heldout.jsonl): top-1 accuracy, per-message latency, throughput.
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { readLabelled, type LabelledQuestion } from '../src/cli/eval-lib.ts';
import { loadUnderstanding } from '../src/core/index.ts';
import { DEFAULT_INTENTS_DIR, loadIntentExamples } from '../src/core/knowledge/load.ts';
import { loadSynonyms } from '../src/core/nlu/lexicon.ts';
import { createMatcher } from '../src/core/nlu/matcher.ts';
import { createNormalizer } from '../src/core/nlu/normalize.ts';
import { maskModelNumbers } from '../src/core/sku/model.ts';
import { progress, summarize, type Summary } from './lib/stats.ts';

export const HELDOUT_FILE = new URL('../test/eval/heldout.jsonl', import.meta.url).pathname;

/** What a user of the bench would otherwise have written: text in, best intent out. */
interface Classifier {
  name: string;
  note: string;
  buildMs: number;
  classify(text: string): string;
}

export interface MatcherRow {
  name: string;
  note: string;
  buildMs: number;
  accuracy: number;
  correct: number;
  total: number;
  latency: Summary;
  /** Calls per second: the median over timed passes of passes' calls ÷ pass time. */
  throughput: number;
  passes: number;
}

export interface MatcherResult {
  heldout: number;
  trainingExamples: number;
  intents: number;
  rows: MatcherRow[];
}

/** No hit at all means "nothing I know": the out_of_scope intent. */
const NO_HIT = 'out_of_scope';

function timed<T>(build: () => T): [T, number] {
  const start = performance.now();
  const value = build();
  return [value, performance.now() - start];
}

function classifiers(): { list: Classifier[]; examples: number; intents: number } {
  const examples = loadIntentExamples();
  const docs: { id: number; text: string; intent: string }[] = [];
  for (const [intent, ex] of examples) for (const text of [...ex.ja, ...ex.en]) docs.push({ id: docs.length, text, intent });

  const [ours, oursMs] = timed(() => loadUnderstanding().matcher);
  const normalize = createNormalizer(loadSynonyms(DEFAULT_INTENTS_DIR));
  const [knn, knnMs] = timed(() => createMatcher(examples, normalize, { method: 'knn', preprocess: maskModelNumbers }));
  // The obvious first attempt: fuzzy-search the example questions, take the top hit's intent.
  const [fuse, fuseMs] = timed(() => new Fuse(docs, { keys: ['text'] }));
  // A plain full-text index with its default (whitespace/punctuation) tokenizer...
  const [mini, miniMs] = timed(() => {
    const index = new MiniSearch<(typeof docs)[number]>({ fields: ['text'], storeFields: ['intent'], searchOptions: { prefix: true, fuzzy: 0.2 } });
    index.addAll(docs);
    return index;
  });
  // ...and the same library given a Japanese word tokenizer, which is what anyone would add next.
  const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });
  const words = (text: string) => [...segmenter.segment(text.normalize('NFKC').toLowerCase())].filter((s) => s.isWordLike).map((s) => s.segment);
  const [miniJa, miniJaMs] = timed(() => {
    const index = new MiniSearch<(typeof docs)[number]>({ fields: ['text'], storeFields: ['intent'], tokenize: words, searchOptions: { prefix: true, fuzzy: 0.2 } });
    index.addAll(docs);
    return index;
  });
  const top = (hits: readonly Record<string, unknown>[]) => (typeof hits[0]?.['intent'] === 'string' ? hits[0]['intent'] : NO_HIT);

  const list: Classifier[] = [
    { name: 'ours: logistic regression (production)', note: "loadUnderstanding().matcher, method 'linear'", buildMs: oursMs, classify: (t) => ours.match(t).ranked[0]?.intent ?? NO_HIT },
    { name: 'ours: kNN variant', note: "createMatcher(…, { method: 'knn' })", buildMs: knnMs, classify: (t) => knn.match(t).ranked[0]?.intent ?? NO_HIT },
    { name: 'fuse.js (plain)', note: "new Fuse(examples, { keys: ['text'] }), top hit", buildMs: fuseMs, classify: (t) => fuse.search(t, { limit: 1 })[0]?.item.intent ?? NO_HIT },
    { name: 'MiniSearch (plain)', note: 'default tokenizer, prefix + fuzzy 0.2, top hit', buildMs: miniMs, classify: (t) => top(mini.search(t)) },
    { name: 'MiniSearch + Intl.Segmenter', note: 'Japanese word tokenizer, prefix + fuzzy 0.2, top hit', buildMs: miniJaMs, classify: (t) => top(miniJa.search(t)) },
  ];
  return { list, examples: docs.length, intents: examples.size };
}

/**
 * A short untimed warm-up, then timed passes over all questions: the first pass also counts
 * the correct answers; more passes follow while the time budget lasts (fuse.js gets one).
 */
function measure(classifier: Classifier, questions: readonly LabelledQuestion[], budgetMs: number): MatcherRow {
  for (const q of questions.slice(0, 50)) classifier.classify(q.text);
  let correct = 0;
  const samples: number[] = [];
  const passRates: number[] = [];
  const started = performance.now();
  let passes = 0;
  do {
    const passStart = performance.now();
    for (const q of questions) {
      const t0 = performance.now();
      const got = classifier.classify(q.text);
      samples.push(performance.now() - t0);
      if (passes === 0 && got === q.intent) correct++;
    }
    passRates.push(questions.length / ((performance.now() - passStart) / 1000));
    passes++;
  } while (performance.now() - started < budgetMs && passes < 200);
  passRates.sort((a, b) => a - b);
  return {
    name: classifier.name,
    note: classifier.note,
    buildMs: classifier.buildMs,
    accuracy: correct / questions.length,
    correct,
    total: questions.length,
    latency: summarize(samples),
    throughput: passRates[Math.floor(passRates.length / 2)]!,
    passes,
  };
}

export async function benchMatcher(options: { budgetMs: number }): Promise<MatcherResult> {
  const questions = readLabelled(HELDOUT_FILE);
  const { list, examples, intents } = classifiers();
  const rows: MatcherRow[] = [];
  for (const c of list) {
    progress(`matcher: ${c.name}`);
    rows.push(measure(c, questions, options.budgetMs));
  }
  return { heldout: questions.length, trainingExamples: examples, intents, rows };
}
