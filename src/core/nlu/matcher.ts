// Intent matcher over TF-IDF features (words and character n-grams). Production uses a
// logistic-regression classifier ('linear'); 'knn' (mean similarity of the k nearest training
// examples per intent, through an inverted index) and 'hybrid' are kept for comparison in the
// README and the benchmark. The method was chosen on the held-out set.
import type { IntentId } from '../reply.ts';
import { extractFeatures, visitFeatures, type FeatureKind } from './features.ts';
import type { Normalizer } from './normalize.ts';
import { trainLinear, type LinearParams, type TrainOptions } from './linear.ts';

export interface IntentScore {
  intent: IntentId;
  score: number;
}

export interface MatchResult {
  /** Best first; every intent with a non-zero score. */
  ranked: IntentScore[];
  /** Probability-like confidence that ranked[0] is right. */
  confidence: number;
}

export interface Matcher {
  match(text: string): MatchResult;
}

/** A trained linear model with its vocabulary: what a model cache keeps. */
export interface LinearSnapshot {
  intents: IntentId[];
  idf: Float64Array;
  params: LinearParams;
}

export interface ModelCache {
  load(): LinearSnapshot | undefined;
  save(snapshot: LinearSnapshot): void;
}

export interface MatcherOptions {
  method?: 'linear' | 'knn' | 'hybrid';
  /** Examples averaged per intent (knn). */
  k?: number;
  /** Applied to raw text before normalisation (e.g. masking model numbers). */
  preprocess?: (text: string) => string;
  train?: TrainOptions;
  /** Where a trained linear model is kept between starts (its key covers data and code). */
  cache?: ModelCache;
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
  const method = options.method ?? 'linear';
  const prep = options.preprocess ?? ((s: string) => s);
  const normalized = (text: string) => normalize(prep(text));
  const featurize = (text: string) => extractFeatures(normalized(text));

  const cached = method === 'linear' ? options.cache?.load() : undefined;
  if (cached !== undefined) return linearMatcher(cached.intents, cached.idf, cached.params, normalized);

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
  const idf = new Map<string, number>();
  for (const [f, df] of docFreq) idf.set(f, Math.log(1 + bags.length / df));
  const vectors = bags.map((bag) => weigh(bag, idf));
  const intents = [...new Set(labels)];
  const intentIndex = new Map(intents.map((id, i) => [id, i]));
  const exampleIntent = Int32Array.from(labels, (l) => intentIndex.get(l)!);

  if (method === 'linear') {
    const model = trainLinear(vectors, Array.from(exampleIntent), intents.length, options.train);
    const snapshot: LinearSnapshot = { intents, idf: Float64Array.from(model.params.features, (f) => idf.get(f)!), params: model.params };
    options.cache?.save(snapshot);
    return linearMatcher(snapshot.intents, snapshot.idf, snapshot.params, normalized);
  }
  const knn = knnScorer(vectors, exampleIntent, intents.length, options.k ?? 2);
  const linear = method === 'hybrid' ? trainLinear(vectors, Array.from(exampleIntent), intents.length, options.train) : undefined;
  return {
    match(text) {
      const query = weigh(featurize(text), idf);
      const b = knn(query);
      const scores = linear === undefined ? b : linear.predict(query).map((p, i) => (p + b[i]!) / 2);
      const ranked = rank(intents, scores);
      return { ranked, confidence: linear === undefined ? calibrate(ranked) : round3(ranked[0]?.score ?? 0) };
    },
  };
}

/**
 * The production path, in one pass and without intermediate maps: each feature occurrence is
 * looked up in the model's vocabulary as it is visited (unknown ones weigh nothing, as in
 * weigh()), then the sub-linear TF × IDF weights are L2-normalised and fed to the softmax.
 * Same features, same order, same arithmetic as weigh() + predict(): the same scores.
 */
function linearMatcher(intents: IntentId[], idf: Float64Array, params: LinearParams, normalized: (text: string) => string): Matcher {
  const { classes, weights, bias } = params;
  // One vocabulary per feature kind, keyed by the token alone.
  const vocabulary: Record<FeatureKind, Map<string, number>> = { w: new Map(), 1: new Map(), 2: new Map(), 3: new Map() };
  params.features.forEach((f, i) => {
    const colon = f.indexOf(':');
    vocabulary[f.slice(0, colon) as FeatureKind]?.set(f.slice(colon + 1), i);
  });
  const tf = new Float64Array(params.features.length);
  const touched: number[] = [];
  const visit = (kind: FeatureKind, token: string, weight: number): void => {
    const i = vocabulary[kind].get(token);
    if (i === undefined) return;
    if (tf[i] === 0) touched.push(i);
    tf[i]! += weight;
  };
  return {
    match(text) {
      touched.length = 0;
      visitFeatures(normalized(text), visit);
      const values = new Float64Array(touched.length);
      let norm = 0;
      for (let k = 0; k < touched.length; k++) {
        const i = touched[k]!;
        const w = (1 + Math.log(tf[i]!)) * idf[i]!;
        tf[i] = 0;
        values[k] = w;
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      const scores = new Float64Array(classes);
      for (let c = 0; c < classes; c++) scores[c] = bias[c]!;
      for (let k = 0; k < touched.length; k++) {
        const value = values[k]! / norm;
        if (value === 0) continue;
        const row = touched[k]! * classes;
        for (let c = 0; c < classes; c++) scores[c]! += weights[row + c]! * value;
      }
      softmaxInPlace(scores);
      const ranked = rank(intents, scores);
      // The softmax probability of the best intent.
      return { ranked, confidence: round3(ranked[0]?.score ?? 0) };
    },
  };
}

function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c]! - max);
    sum += z[c]!;
  }
  for (let c = 0; c < z.length; c++) z[c]! /= sum;
}

/** Mean of the k best cosine similarities per intent, through an inverted index. */
function knnScorer(vectors: Map<string, number>[], exampleIntent: Int32Array, classes: number, k: number): (query: Map<string, number>) => Float64Array {
  const postings = new Map<string, Posting[]>();
  vectors.forEach((vec, example) => {
    for (const [f, weight] of vec) {
      let list = postings.get(f);
      if (list === undefined) postings.set(f, (list = []));
      list.push({ example, weight });
    }
  });
  const sims = new Float64Array(vectors.length);
  return (query) => {
    sims.fill(0);
    for (const [f, w] of query) {
      const list = postings.get(f);
      if (list === undefined) continue;
      for (const p of list) sims[p.example]! += w * p.weight;
    }
    const top: number[][] = Array.from({ length: classes }, () => []);
    for (let i = 0; i < sims.length; i++) {
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
  };
}

function rank(intents: IntentId[], scores: Float64Array): IntentScore[] {
  const ranked: IntentScore[] = [];
  scores.forEach((score, i) => {
    if (score > 0) ranked.push({ intent: intents[i]!, score });
  });
  return ranked.sort((a, b) => b.score - a.score);
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

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * kNN only: maps the best similarity and its margin over the runner-up to (0, 1) with a
 * hand-set logistic curve, so the kNN variant can share the engine's thresholds.
 */
export function calibrate(ranked: readonly IntentScore[]): number {
  const s1 = ranked[0]?.score ?? 0;
  const s2 = ranked[1]?.score ?? 0;
  return round3(1 / (1 + Math.exp(-(-4 + 8 * s1 + 10 * (s1 - s2)))));
}
