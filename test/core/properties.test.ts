// Property tests (fast-check): lookup/extract never throw on any text, never claim a model that
// is not in the tables, and resolveSkus never returns a SKU outside the model's own printed cells.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/core/knowledge/load.ts';
import { LEVELS, OFFERINGS } from '../../src/core/reply.ts';
import { buildModelIndex, modelKey, type ModelLookup } from '../../src/core/sku/model.ts';
import { allPrintedSkus, resolveSkus } from '../../src/core/sku/resolve.ts';

interface FixtureTable {
  rows: { models: string[]; cells: string[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/sku-tables.json', import.meta.url), 'utf8')) as {
  annual: FixtureTable;
  service_pack: FixtureTable;
};

const kb = loadKnowledge();
const index = buildModelIndex(kb);
const printedSkus = allPrintedSkus(kb);

/** From the independent transcription. */
const TABLE_MODELS = [...new Set([...fixture.annual.rows, ...fixture.service_pack.rows].flatMap((r) => r.models))].sort();
const SUFFIXES = ['3W', '5W', '7W', 'OS3', 'OS5', 'OS7'];
const stripJp = (printed: string) => printed.replace(/-JP$/, '');

const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const DASH_CHARS = ['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u30fc', '\uff70', '\ufe63', '\uff0d'];
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇯🇵', '🔋', '⚡️', '❤️', '🧑🏻‍💻'];

/** Pieces that look like what users write around model numbers. */
const fragment = fc.oneof(
  fc.constantFrom(...TABLE_MODELS),
  fc.constantFrom(...TABLE_MODELS).map((m) => m.toLowerCase()),
  fc.constantFrom(...TABLE_MODELS).map(toFullWidth),
  fc.constantFrom(...TABLE_MODELS).map(stripJp),
  fc.constantFrom(...TABLE_MODELS).chain((m) => fc.integer({ min: 0, max: m.length }).map((i) => m.slice(0, i))),
  fc.constantFrom(...TABLE_MODELS).chain((m) => fc.integer({ min: 0, max: m.length }).map((i) => m.slice(i))),
  fc.constantFrom(...SUFFIXES),
  fc.constantFrom(...DASH_CHARS),
  fc.constantFrom(' ', '\u3000', '\t', '\n', '', 'の', 'は', '、', '。', '？', 'と', '型番', '保守', '年', '台', 'JP', '-JP'),
  fc.constantFrom('WEXTIYR-SU-02', 'WUPG4HR-SU-00', 'WOE3YR-SU-01-PACK', 'WEXTIYR-SU013WPACK', 'FAQ000281506', 'https://www.se.com/jp/ja/faqs/FAQ000248550/'),
  fc.constantFrom(...EMOJI),
  fc.string({ unit: 'grapheme-ascii', maxLength: 4 }),
  fc.integer({ min: 0, max: 99999 }).map(String),
);
const modelish = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(''));

const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) });
/** Any UTF-16 code unit, lone surrogates included. */
const anyCodeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

const ANY_TEXT = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'grapheme-composite' }),
  fc.string({ unit: 'binary' }),
  anyCodeUnits,
  controlChars,
  fc.array(fc.constantFrom(...EMOJI)).map((a) => a.join('')),
  modelish,
  fc.array(fc.oneof(modelish, controlChars, fc.string({ unit: 'grapheme' })), { maxLength: 5 }).map((a) => a.join('')),
);

const tableModelKeys = new Set(TABLE_MODELS.flatMap((m) => [modelKey(m), modelKey(stripJp(m))]));

/** The lookup's claims hold against the brochure transcription. */
function checkLookup(raw: string, r: ModelLookup): void {
  const key = modelKey(raw);
  switch (r.kind) {
    case 'known':
      expect(TABLE_MODELS).toContain(r.model.printed);
      expect(index.models).toContain(r.model);
      expect([modelKey(r.model.printed), modelKey(stripJp(r.model.printed))]).toContain(key);
      break;
    case 'bundled': {
      expect(TABLE_MODELS).toContain(r.base.printed);
      expect(SUFFIXES).toContain(r.suffix.suffix);
      expect(r.printed).toBe(stripJp(r.base.printed) + r.suffix.suffix);
      expect(key.endsWith(r.suffix.suffix)).toBe(true);
      expect([modelKey(r.base.printed), modelKey(stripJp(r.base.printed))]).toContain(key.slice(0, -r.suffix.suffix.length));
      break;
    }
    case 'near_miss':
      // A suggestion, never a claim: and the input itself is not a table model.
      expect(tableModelKeys.has(key)).toBe(false);
      expect(r.suggestions.length).toBeGreaterThan(0);
      for (const s of r.suggestions) {
        const ok = TABLE_MODELS.includes(s) || SUFFIXES.some((x) => s.endsWith(x) && TABLE_MODELS.some((m) => stripJp(m) + x === s));
        expect(ok, s).toBe(true);
      }
      break;
    case 'unknown':
      expect(tableModelKeys.has(key)).toBe(false);
      break;
  }
}

describe('lookup and extract on arbitrary text', () => {
  it('never throw; known/bundled only for table models', () => {
    fc.assert(
      fc.property(ANY_TEXT, (text) => {
        checkLookup(text, index.lookup(text));
        const tokens = index.extract(text);
        expect(Array.isArray(tokens)).toBe(true);
        for (const t of tokens) {
          expect(typeof t).toBe('string');
          expect(t.length).toBeGreaterThan(0);
          checkLookup(t, index.lookup(t));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('every spelling of a table model is known as that model', () => {
    const variant = fc.tuple(
      fc.constantFrom(...TABLE_MODELS),
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom(...DASH_CHARS, ' ', ''),
      fc.nat(),
    );
    fc.assert(
      fc.property(variant, ([printed, lower, wide, dropJp, dash, at]) => {
        let s = dropJp ? stripJp(printed) : printed;
        const i = at % (s.length + 1);
        s = s.slice(0, i) + dash + s.slice(i);
        if (lower) s = s.toLowerCase();
        if (wide) s = toFullWidth(s);
        const r = index.lookup(s);
        expect(r.kind === 'known' && r.model.printed, JSON.stringify(s)).toBe(printed);
      }),
      { numRuns: 2000 },
    );
  });

  it('one edit away from a table model is a did-you-mean naming it, never a silent match', () => {
    const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
    const edit = fc.tuple(fc.constantFrom(...TABLE_MODELS), fc.constantFrom('sub', 'del', 'ins'), fc.nat(), alnum);
    fc.assert(
      fc.property(edit, ([printed, op, at, ch]) => {
        const base = modelKey(printed);
        const i = at % (base.length + (op === 'ins' ? 1 : 0));
        const typo =
          op === 'sub' ? base.slice(0, i) + ch + base.slice(i + 1) : op === 'del' ? base.slice(0, i) + base.slice(i + 1) : base.slice(0, i) + ch + base.slice(i);
        fc.pre(typo !== base && !tableModelKeys.has(typo));
        const r = index.lookup(typo);
        expect(r.kind, `${printed} → ${typo}: ${JSON.stringify(r)}`).toBe('near_miss');
        if (r.kind === 'near_miss') expect(r.suggestions).toContain(printed);
      }),
      { numRuns: 3000 },
    );
  });

  it('a table model plus a printed bundled suffix is bundled with that base', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TABLE_MODELS), fc.constantFrom(...SUFFIXES), fc.boolean(), (printed, suffix, dropJp) => {
        const r = index.lookup((dropJp ? stripJp(printed) : printed) + suffix);
        expect(r.kind).toBe('bundled');
        if (r.kind === 'bundled') {
          expect(r.base.printed).toBe(printed);
          expect(r.suffix.suffix).toBe(suffix);
        }
      }),
    );
  });

  it('models separated by Japanese particles or punctuation are all extracted, in order', () => {
    const sep = fc.constantFrom('の', 'と', '、', '。', ',', ' / ', 'と ', ' と ', 'や', '\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...TABLE_MODELS), sep), { minLength: 1, maxLength: 5 }), (pairs) => {
        const text = `型番は${pairs.map(([m, s]) => m + s).join('')}です`;
        const tokens = index.extract(text);
        expect(tokens.map((t) => { const r = index.lookup(t); return r.kind === 'known' ? r.model.printed : `${r.kind}:${t}`; })).toEqual(
          pairs.map(([m]) => m),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on strings of 100 000 characters', () => {
    const long = fc.oneof(ANY_TEXT, fragment).filter((s) => s.length > 0).map((s) => s.repeat(Math.ceil(100_000 / s.length)).slice(0, 100_000));
    fc.assert(
      fc.property(long, (text) => {
        expect(text.length).toBe(100_000);
        checkLookup(text, index.lookup(text));
        for (const t of index.extract(text)) checkLookup(t, index.lookup(t));
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    ['digits', 'AB' + '1'.repeat(99_998)],
    ['repeated model', 'SMT1500J '.repeat(11_112)],
    ['spaced digit segments', 'AB12' + ' A1'.repeat(33_329)],
    ['dashed segments', 'SMT1500' + '-1A'.repeat(33_331)],
    ['letters', 'A'.repeat(100_000)],
    ['lone surrogates', '\ud800'.repeat(100_000)],
    ['NUL', '\u0000'.repeat(100_000)],
  ])('pathological 100 000-character input (%s) is handled quickly', (_name, text) => {
    const start = performance.now();
    checkLookup(text, index.lookup(text));
    const tokens = index.extract(text);
    for (const t of tokens.slice(0, 100)) checkLookup(t, index.lookup(t));
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe('resolveSkus over arbitrary (table model, offering, level, years)', () => {
  const ownCells = (printed: string, offering: 'annual' | 'service_pack') =>
    new Set((fixture[offering].rows.find((r) => r.models.includes(printed))?.cells ?? []).filter((c) => c !== '-'));

  it('never throws, and returns only printed SKUs of the model’s own row', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...index.models),
        fc.constantFrom(...OFFERINGS),
        fc.constantFrom(...LEVELS),
        fc.integer({ min: -5, max: 20 }),
        (model, offering, level, years) => {
          const r = resolveSkus(kb, model, offering, level, years);
          if (r.kind !== 'ok') return;
          expect(offering).not.toBe('bundled');
          if (offering === 'bundled') return;
          expect(r.lines.length).toBeGreaterThan(0);
          const own = ownCells(model.printed, offering);
          for (const line of r.lines) {
            expect(printedSkus.has(line.sku), line.sku).toBe(true);
            expect(own.has(line.sku), `${line.sku} is in ${model.printed}'s own ${offering} row`).toBe(true);
            expect(line.model).toBe(model.printed);
            expect(line.offering).toBe(offering);
            expect(line.years).toBeGreaterThan(0);
          }
          expect(years).toBeGreaterThan(0);
          // The requested option is the last line (the 4-hour upgrade comes after its base).
          expect(r.lines.at(-1)).toMatchObject({ level, years });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('each (model, offering, level, years) that resolves is the model’s own, and every own SKU is reachable', () => {
    // Exhaustive over the small domain: the union of everything resolved for a model is exactly its own cells.
    for (const model of index.models) {
      for (const offering of ['annual', 'service_pack'] as const) {
        const got = new Set<string>();
        for (const level of LEVELS) {
          for (let years = -5; years <= 20; years++) {
            const r = resolveSkus(kb, model, offering, level, years);
            if (r.kind === 'ok') for (const l of r.lines) got.add(l.sku);
          }
        }
        expect([...got].sort(), `${model.printed} ${offering}`).toEqual([...ownCells(model.printed, offering)].sort());
      }
    }
  });
});
