// A multinomial logistic-regression intent classifier over TF-IDF features, trained at
// start-up (about a thousand examples: well under a second) with AdaGrad and a fixed
// shuffle seed, so the same data always gives the same model.
import type { FeatureBag } from './features.ts';

export interface LinearModel {
  /** Class probabilities for a weighted, L2-normalised feature vector. */
  predict(vec: ReadonlyMap<string, number>): Float64Array;
  /** What the model learnt, to be kept (model cache) and restored with linearFromParams. */
  readonly params: LinearParams;
}

export interface LinearParams {
  features: string[];
  classes: number;
  /** features × classes, row-major by feature. */
  weights: Float64Array;
  bias: Float64Array;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

export function trainLinear(
  vectors: readonly ReadonlyMap<string, number>[],
  labels: readonly number[],
  classes: number,
  options: TrainOptions = {},
): LinearModel {
  const epochs = options.epochs ?? 15;
  const lr = options.learningRate ?? 0.3;
  const l2 = options.l2 ?? 1e-5;
  const featureIndex = new Map<string, number>();
  for (const v of vectors) for (const f of v.keys()) if (!featureIndex.has(f)) featureIndex.set(f, featureIndex.size);
  const dims = featureIndex.size;
  const weights = new Float64Array(dims * classes);
  const bias = new Float64Array(classes);
  const grad2 = new Float64Array(dims * classes).fill(1e-8);
  const bias2 = new Float64Array(classes).fill(1e-8);
  const encoded = vectors.map((v) => [...v].map(([f, x]) => [featureIndex.get(f)!, x] as const));
  const order = vectors.map((_, i) => i);
  let seed = options.seed ?? 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const probs = new Float64Array(classes);

  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const idx of order) {
      const x = encoded[idx]!;
      softmax(x, weights, bias, classes, probs);
      for (let c = 0; c < classes; c++) {
        const g = probs[c]! - (labels[idx] === c ? 1 : 0);
        // Classes the model already rules out contribute nothing worth the update.
        if (g > -1e-3 && g < 1e-3) continue;
        bias2[c]! += g * g;
        bias[c]! -= (lr * g) / Math.sqrt(bias2[c]!);
        for (const [f, value] of x) {
          const k = f * classes + c;
          const gw = g * value + l2 * weights[k]!;
          grad2[k]! += gw * gw;
          weights[k]! -= (lr * gw) / Math.sqrt(grad2[k]!);
        }
      }
    }
  }

  return linearFromParams({ features: [...featureIndex.keys()], classes, weights, bias });
}

export function linearFromParams(params: LinearParams): LinearModel {
  const { classes, weights, bias } = params;
  const featureIndex = new Map(params.features.map((f, i) => [f, i]));
  return {
    params,
    predict(vec) {
      const x: (readonly [number, number])[] = [];
      for (const [f, value] of vec) {
        const index = featureIndex.get(f);
        if (index !== undefined) x.push([index, value]);
      }
      const out = new Float64Array(classes);
      softmax(x, weights, bias, classes, out);
      return out;
    },
  };
}

function softmax(x: readonly (readonly [number, number])[], weights: Float64Array, bias: Float64Array, classes: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    let z = bias[c]!;
    for (const [f, value] of x) z += weights[f * classes + c]! * value;
    out[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    const e = Math.exp(out[c]! - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < classes; c++) out[c]! /= sum;
}

export type { FeatureBag };
