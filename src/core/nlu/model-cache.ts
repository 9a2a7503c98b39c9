// Keeps the trained intent model on disk between starts, so a start does not retrain it
// (about half a second on two cores). The key is a hash of the training data, the synonyms
// and the source of every module that shapes the features or the training: change any of
// them and the next start retrains. A missing, unreadable or corrupt file only means retraining.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../paths.ts';
import type { IntentId } from '../reply.ts';
import type { LinearSnapshot, ModelCache } from './matcher.ts';

const SOURCES = ['nlu/features.ts', 'nlu/normalize.ts', 'nlu/linear.ts', 'nlu/matcher.ts', 'nlu/model-cache.ts', 'sku/model.ts'].map((f) => projectPath('src/core', f));

export function modelCacheKey(parts: unknown[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(parts));
  for (const source of SOURCES) {
    try {
      hash.update(readFileSync(source));
    } catch {
      hash.update(`missing:${source}`);
    }
  }
  return hash.digest('hex').slice(0, 32);
}

/** File layout: uint32 header length, JSON header, then idf, weights and bias as float64. */
export function fileModelCache(dir: string, key: string): ModelCache {
  const file = path.join(dir, `intent-model-${key}.bin`);
  return {
    load() {
      try {
        const buf = readFileSync(file);
        const headerLength = buf.readUInt32LE(0);
        const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString('utf8')) as { intents: IntentId[]; features: string[]; classes: number };
        const n = header.features.length;
        const floats = new Float64Array(buf.buffer.slice(buf.byteOffset + 4 + headerLength, buf.byteOffset + buf.length));
        if (floats.length !== n + n * header.classes + header.classes) return undefined;
        return {
          intents: header.intents,
          idf: floats.subarray(0, n),
          params: { features: header.features, classes: header.classes, weights: floats.subarray(n, n + n * header.classes), bias: floats.subarray(n + n * header.classes) },
        };
      } catch {
        return undefined;
      }
    },
    save(snapshot: LinearSnapshot) {
      try {
        const header = Buffer.from(JSON.stringify({ intents: snapshot.intents, features: snapshot.params.features, classes: snapshot.params.classes }), 'utf8');
        // The header length keeps the float data 8-byte aligned.
        const padded = Buffer.concat([header, Buffer.alloc((8 - ((4 + header.length) % 8)) % 8, 0x20)]);
        const length = Buffer.alloc(4);
        length.writeUInt32LE(padded.length);
        const body = [snapshot.idf, snapshot.params.weights, snapshot.params.bias].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
        mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, Buffer.concat([length, padded, ...body]));
        renameSync(tmp, file);
        // Models of earlier data or code are of no further use.
        for (const old of readdirSync(dir)) if (old.startsWith('intent-model-') && path.join(dir, old) !== file) rmSync(path.join(dir, old), { force: true });
      } catch {
        // A read-only disk only costs the next start its training time.
      }
    },
  };
}
