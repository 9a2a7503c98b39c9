// The slot evaluation set (test/eval/slots.jsonl, written by a helper session that had not
// read intents/ or the extractor) keeps a floor, and stays apart from the phrases the
// extractor uses.
import path from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/core/knowledge/load.ts';
import { buildModelIndex, maskModelNumbers } from '../../../src/core/sku/model.ts';
import { loadSlotReader } from '../../../src/core/understand/load-slots.ts';
import { foldForSlots } from '../../../src/core/understand/slot-facts.ts';
import { evaluateSlots, readSlotRows } from '../../../src/cli/slot-eval-lib.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const rows = readSlotRows(path.join(root, 'test/eval/slots.jsonl'));
// Odd ids were used to tune the phrases (their misses were read); even ids never were.
const tuned = rows.filter((r) => Number(r.id.slice(1)) % 2 === 1);
const untouched = rows.filter((r) => Number(r.id.slice(1)) % 2 === 0);

describe('slot evaluation set', () => {
  const reader = loadSlotReader();
  const models = buildModelIndex(loadKnowledge());

  it('is the size and mix the issue asks for', () => {
    expect(rows.length).toBeGreaterThanOrEqual(500);
    expect(rows.filter((r) => r.lang === 'ja').length).toBeGreaterThanOrEqual(400);
    expect(rows.filter((r) => r.lang === 'en').length).toBeGreaterThanOrEqual(100);
    expect(rows.filter((r) => r.tags.includes('negation') || r.tags.includes('contrast')).length).toBeGreaterThanOrEqual(100);
    expect(rows.filter((r) => Object.keys(r.expect).length >= 2).length).toBeGreaterThanOrEqual(100);
  });

  it('shares no message with the slot phrases or the intent examples', () => {
    const data = readdirSync(path.join(root, 'intents'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => foldForSlots(readFileSync(path.join(root, 'intents', f), 'utf8')))
      .join('\n');
    // A whole labelled message found in the data would mean it was copied there (a bare model
    // number or 「…を購入予定です」 is too short to tell).
    const words = (text: string) => foldForSlots(maskModelNumbers(text)).replace(/xmodelx/g, '').trim();
    const copied = rows.filter((r) => words(r.text).length >= 15 && data.includes(foldForSlots(r.text)));
    expect(copied.map((r) => r.id)).toEqual([]);
  });

  it('keeps its exact-frame floor on both halves, and never invents a value often', () => {
    const a = evaluateSlots(reader, models, tuned);
    const b = evaluateSlots(reader, models, untouched);
    // Floors at today's level minus a margin; the target is 95% (see README).
    expect(a.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(b.accuracy).toBeGreaterThanOrEqual(0.83);
    // A wrong value is worse than a missing one (it can become a wrong SKU): precision per value.
    for (const v of [...a.perValue, ...b.perValue]) expect(v.precision, v.value).toBeGreaterThanOrEqual(0.8);
  });
});

/** Exact-frame floors on the tuned (odd ids) and untouched (even ids) halves of one set, and a precision floor per value. */
interface Floors {
  tuned: number;
  untouched: number;
  precision: number;
  /** Values seen fewer times than this in a half say nothing about precision. */
  minSupport?: number;
}

function keepsFloors(file: string, floors: Floors): void {
  it('keeps its floors, and a wrong value stays rare', () => {
    const reader = loadSlotReader();
    const models = buildModelIndex(loadKnowledge());
    const rows = readSlotRows(path.join(root, 'test/eval', file));
    const a = evaluateSlots(reader, models, rows.filter((r) => Number(r.id.slice(1)) % 2 === 1));
    const b = evaluateSlots(reader, models, rows.filter((r) => Number(r.id.slice(1)) % 2 === 0));
    expect(a.accuracy).toBeGreaterThanOrEqual(floors.tuned);
    expect(b.accuracy).toBeGreaterThanOrEqual(floors.untouched);
    for (const v of [...a.perValue, ...b.perValue].filter((x) => x.support >= (floors.minSupport ?? 0))) expect(v.precision, v.value).toBeGreaterThanOrEqual(floors.precision);
  });
}

// A second set, written later by another helper session under the same rules; its first run
// (75.5% exact frame) is the honest figure for messages nobody tuned on.
describe('second slot evaluation set', () => {
  keepsFloors('slots-fresh.jsonl', { tuned: 0.9, untouched: 0.72, precision: 0.75 });
});

// A third set, English-heavy and in the hardest Japanese styles (kana, dialect, typos), written by
// a third helper session that read only the contract and the brochure. First run 71.7% exact
// (ja 85.9%, en 62.0%); the README has the figures after tuning on its odd half.
describe('third slot evaluation set (hard styles)', () => {
  it('is mostly English and hard Japanese, with negation and distractors', () => {
    const hard = readSlotRows(path.join(root, 'test/eval/slots-hard.jsonl'));
    expect(hard.length).toBeGreaterThanOrEqual(400);
    expect(hard.filter((r) => r.lang === 'en').length).toBeGreaterThanOrEqual(200);
    expect(hard.filter((r) => r.tags.includes('negation') || r.tags.includes('double_negation')).length).toBeGreaterThanOrEqual(140);
  });
  keepsFloors('slots-hard.jsonl', { tuned: 0.86, untouched: 0.74, precision: 0.6 });
});

// A fourth set in the same styles (400 messages, 220 ja / 180 en), by a fourth helper session
// that read only the contract and the brochure. First run 78.3% exact (ja 81.8%, en 73.9%).
// Values seen a handful of times (years:7 twice in a half) are left out of the precision floor.
describe('fourth slot evaluation set (hard styles, business stories)', () => {
  keepsFloors('slots-hard2.jsonl', { tuned: 0.88, untouched: 0.78, precision: 0.6, minSupport: 5 });
});

// An English-only set (300 messages: idioms, hedges, non-native English, typos), by a fifth helper
// session that read only the contract and the brochure. First run 65.0% exact; its untouched half
// moved only from 66.0% to 67.3% after tuning on the other half: English phrasing is where phrase
// rules stop generalising.
describe('fifth slot evaluation set (English only)', () => {
  keepsFloors('slots-en.jsonl', { tuned: 0.8, untouched: 0.62, precision: 0.6, minSupport: 5 });
});
