// The trained-model cache: a cached model answers exactly like a freshly trained one, and a
// bad or stale file only costs retraining.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadUnderstanding } from '../../src/core/index.ts';
import { readLabelled } from '../../src/cli/eval-lib.ts';
import { modelCacheKey } from '../../src/core/nlu/model-cache.ts';

const questions = readLabelled(path.join(import.meta.dirname, '../eval/heldout.jsonl')).map((r) => r.text);

describe('intent model cache', () => {
  it('gives exactly the fresh model’s answers, from a file written by the first start', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'model-cache-'));
    const fresh = loadUnderstanding({ modelCacheDir: null }).matcher;
    loadUnderstanding({ modelCacheDir: dir }); // trains and writes
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    const cached = loadUnderstanding({ modelCacheDir: dir }).matcher; // reads
    for (const q of questions) expect(cached.match(q)).toEqual(fresh.match(q));
  });

  it('retrains when the cached file is corrupt', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'model-cache-'));
    loadUnderstanding({ modelCacheDir: dir });
    const [file] = readdirSync(dir);
    writeFileSync(path.join(dir, file!), 'not a model');
    const matcher = loadUnderstanding({ modelCacheDir: dir }).matcher;
    expect(matcher.match('無償保証で何が受けられますか').ranked[0]?.intent).toBe('warranty_coverage');
  });

  it('changes its key when the training data changes', () => {
    expect(modelCacheKey([['a']])).not.toBe(modelCacheKey([['b']]));
    expect(modelCacheKey([['a']])).toBe(modelCacheKey([['a']]));
  });
});
