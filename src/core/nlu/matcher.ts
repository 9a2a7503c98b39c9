// Intent matcher: TF-IDF over words and character n-grams, scored against every training
// example through an inverted index (k-nearest examples per intent). The method and k were
// chosen on the held-out set (see README "Understanding"); confidence is calibrated there too.
import type { IntentId } from '../reply.ts';
import { extractFeatures } from './features.ts';
import type { Normalizer } from './normalize.ts';
import { trainLinear, type TrainOptions } from './linear.ts';

export interface IntentScore {
  intent: IntentId;
  score: number;
}

export interface MatchResult {
  /** Best first; every intent with a non-zero score. */
  ranked: IntentScore[];
  /** Calibrated probability that ranked[0] is right. */
  confidence: number;
}

export interface Matcher {
  match(text: string): MatchResult;
}

export interface MatcherOptions {
  /** 'linear': logistic regression; 'knn': mean of the k nearest examples; 'hybrid': both averaged. */
  method?: 'linear' | 'knn' | 'hybrid';
  /** Examples averaged per intent (knn). */
  k?: number;
  /** Applied to raw text before normalisation (e.g. masking model numbers). */
  preprocess?: (text: string) => string;
  train?: TrainOptions;
}

interface Posting {
  example: number;
  weight: number;
}

export function createMatcher(
  examples: ReadonlyMap<IntentId, { ja: string[]; en: string[] }>,
  normalize: Normalizer,
  options: MatcherOptions = {},
): Matcher {
  const k = options.k ?? 2;
  const method = options.method ?? 'linear';
  const prep = options.preprocess ?? ((s: string) => s);
  const featurize = (text: string) => extractFeatures(normalize(prep(text)));
  const labels: IntentId[] = [];
  const bags: Map<string, number>[] = [];
  for (const [intent, ex] of examples) {
    for (const text of [...ex.ja, ...ex.en]) {
      labels.push(intent);
      bags.push(featurize(text));
    }
  }
  const docFreq = new Map<string, number>();
  for (const bag of bags) for (const f of bag.keys()) docFreq.set(f, (docFreq.get(f) ?? 0) + 1);
  const n = bags.length;
  const idf = new Map<string, number>();
  for (const [f, df] of docFreq) idf.set(f, Math.log(1 + n / df));

  const postings = new Map<string, Posting[]>();
  const vectors = bags.map((bag) => weigh(bag, idf));
  vectors.forEach((vec, example) => {
    for (const [f, weight] of vec) {
      let list = postings.get(f);
      if (list === undefined) postings.set(f, (list = []));
      list.push({ example, weight });
    }
  });

  const intents = [...new Set(labels)];
  const intentIndex = new Map(intents.map((id, i) => [id, i]));
  const exampleIntent = Int32Array.from(labels, (l) => intentIndex.get(l)!);
  const sims = new Float64Array(n);
  const linear = method === 'knn' ? undefined : trainLinear(vectors, Array.from(exampleIntent), intents.length, options.train);

  function knn(query: Map<string, number>): Float64Array {
    sims.fill(0);
    for (const [f, w] of query) {
      const list = postings.get(f);
      if (list === undefined) continue;
      for (const p of list) sims[p.example]! += w * p.weight;
    }
    // Top-k similarities per intent, kept in small sorted arrays.
    const top: number[][] = intents.map(() => []);
    for (let i = 0; i < n; i++) {
      const s = sims[i]!;
      if (s <= 0) continue;
      const arr = top[exampleIntent[i]!]!;
      if (arr.length < k) {
        arr.push(s);
        arr.sort((a, b) => b - a);
      } else if (s > arr[k - 1]!) {
        arr[k - 1] = s;
        arr.sort((a, b) => b - a);
      }
    }
    return Float64Array.from(top, (arr) => arr.reduce((a, b) => a + b, 0) / k);
  }

  return {
    match(text) {
      const query = weigh(featurize(text), idf);
      let scores: Float64Array;
      if (method === 'knn') scores = knn(query);
      else if (method === 'linear') scores = linear!.predict(query);
      else {
        const a = linear!.predict(query);
        const b = knn(query);
        scores = a.map((p, i) => (p + b[i]!) / 2);
      }
      const ranked: IntentScore[] = [];
      scores.forEach((score, i) => {
        if (score > 0) ranked.push({ intent: intents[i]!, score });
      });
      ranked.sort((a, b) => b.score - a.score);
      return { ranked, confidence: method === 'knn' ? calibrate(ranked) : Math.round((ranked[0]?.score ?? 0) * 1000) / 1000 };
    },
  };
}

/** Sub-linear TF × IDF, L2-normalised. */
function weigh(bag: Map<string, number>, idf: Map<string, number>): Map<string, number> {
  const vec = new Map<string, number>();
  let norm = 0;
  for (const [f, tf] of bag) {
    const w = (1 + Math.log(tf)) * (idf.get(f) ?? 0);
    if (w === 0) continue;
    vec.set(f, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [f, w] of vec) vec.set(f, w / norm);
  return vec;
}

/**
 * Maps the best score and its margin over the runner-up to a probability. A logistic
 * curve fitted on the held-out set (npm run eval prints the reliability table).
 */
export function calibrate(ranked: readonly IntentScore[]): number {
  const s1 = ranked[0]?.score ?? 0;
  const s2 = ranked[1]?.score ?? 0;
  const z = CALIBRATION.bias + CALIBRATION.score * s1 + CALIBRATION.margin * (s1 - s2);
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}

export const CALIBRATION = { bias: -4, score: 8, margin: 10 };
