// Model numbers as users type them: normalisation, lookup, bundled suffixes, near misses, extraction.
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/core/knowledge/load.ts';
import { buildModelIndex, modelKey, type ModelLookup } from '../../src/core/sku/model.ts';

const kb = loadKnowledge();
const index = buildModelIndex(kb);

function expectKnown(r: ModelLookup, printed: string): void {
  expect(r.kind, JSON.stringify(r)).toBe('known');
  if (r.kind === 'known') expect(r.model.printed).toBe(printed);
}

describe('modelKey', () => {
  it.each([
    ['ＳＭＴ１５００Ｊ', 'SMT1500J'],
    ['smt1500j', 'SMT1500J'],
    ['SMT-1500J', 'SMT1500J'],
    ['SMT\u20101500J', 'SMT1500J'], // ‐ HYPHEN
    ['SMT\u22121500J', 'SMT1500J'], // − MINUS SIGN
    ['ＳＭＴー１５００Ｊ', 'SMT1500J'], // ー KATAKANA-HIRAGANA PROLONGED SOUND MARK
    ['ＳＭＴ－１５００Ｊ', 'SMT1500J'], // － FULLWIDTH HYPHEN-MINUS
    ['SMT1500 RMJ2U', 'SMT1500RMJ2U'],
    ['smt1500\u3000rmj2u', 'SMT1500RMJ2U'], // ideographic space
    [' SMT1500RMJ2U\t', 'SMT1500RMJ2U'],
    ['be550mi-jp', 'BE550MIJP'],
  ])('%j → %s', (raw, key) => {
    expect(modelKey(raw)).toBe(key);
  });

  it('keeps letters and digits that matter', () => {
    expect(modelKey('SMT1500J')).not.toBe(modelKey('SMT1500K'));
    expect(modelKey('SMT1500RMJ2U')).not.toBe(modelKey('SMT1500RMJ2'));
  });
});

describe('lookup: spellings of known models', () => {
  it.each([
    ['ＳＭＴ１５００Ｊ', 'SMT1500J'],
    ['smt1500j', 'SMT1500J'],
    ['Smt1500J', 'SMT1500J'],
    ['SMT-1500J', 'SMT1500J'],
    ['SMT\u20101500J', 'SMT1500J'],
    ['SMT\u22121500J', 'SMT1500J'],
    ['ＳＭＴー１５００Ｊ', 'SMT1500J'],
    ['SMT1500 RMJ2U', 'SMT1500RMJ2U'],
    ['smt1500rmj2u', 'SMT1500RMJ2U'],
    ['ＳＭＴ１５００ＲＭＪ２Ｕ', 'SMT1500RMJ2U'],
    ['SMT-1500RMJ2U', 'SMT1500RMJ2U'],
    ['BE550MI', 'BE550MI-JP'],
    ['be550mi', 'BE550MI-JP'],
    ['BE550MI-JP', 'BE550MI-JP'],
    ['BE550MIJP', 'BE550MI-JP'],
    ['ＢＲ１２００Ｓ－ＪＰ', 'BR1200S-JP'],
    ['srt5kxlj', 'SRT5KXLJ'],
  ])('%j → %s', (raw, printed) => {
    expectKnown(index.lookup(raw), printed);
  });

  it('a model with a known group membership', () => {
    const r = index.lookup('smt1500j');
    expect(r).toEqual({ kind: 'known', model: { printed: 'SMT1500J', annualGroup: 'SU-02', packGroup: 'SU-02' } });
    const be = index.lookup('BE550MI');
    expect(be.kind === 'known' && be.model.packGroup).toBeNull();
  });
});

describe('lookup: bundled models (3W/5W/7W send-back, OS3/OS5/OS7 next-business-day on-site)', () => {
  it.each([
    ['SMT1500RMJ2U5W', 'SMT1500RMJ2U', 'SMT1500RMJ2U5W', '5W', 'sendback', 5],
    ['smt1500rmj2u5w', 'SMT1500RMJ2U', 'SMT1500RMJ2U5W', '5W', 'sendback', 5],
    ['SMT1500RMJ2U 5W', 'SMT1500RMJ2U', 'SMT1500RMJ2U5W', '5W', 'sendback', 5],
    ['SMT1500JOS3', 'SMT1500J', 'SMT1500JOS3', 'OS3', 'nbd_onsite', 3],
    ['SMT1500J-OS5', 'SMT1500J', 'SMT1500JOS5', 'OS5', 'nbd_onsite', 5],
    ['ＳＭＴ３０００ＲＭＪ２ＵＯＳ７', 'SMT3000RMJ2U', 'SMT3000RMJ2UOS7', 'OS7', 'nbd_onsite', 7],
    ['SMT750J3W', 'SMT750J', 'SMT750J3W', '3W', 'sendback', 3],
    ['BR1200S-JP7W', 'BR1200S-JP', 'BR1200S7W', '7W', 'sendback', 7],
    ['BR1200S7W', 'BR1200S-JP', 'BR1200S7W', '7W', 'sendback', 7],
  ] as const)('%j → base %s, %s', (raw, base, printed, suffix, level, years) => {
    const r = index.lookup(raw);
    expect(r.kind, JSON.stringify(r)).toBe('bundled');
    if (r.kind !== 'bundled') return;
    expect(r.base.printed).toBe(base);
    expect(r.printed).toBe(printed);
    expect(r.suffix).toEqual({ suffix, level, years });
  });

  it('suffixes the brochure does not print are not decoded as bundled', () => {
    for (const raw of ['SMT1500J9W', 'SMT1500JOS9', 'SMT1500JOS', 'SMT1500J4W', 'SMT1500J10W']) {
      expect(index.lookup(raw).kind, raw).not.toBe('bundled');
      expect(index.lookup(raw).kind, raw).not.toBe('known');
    }
  });

  it('a suffix on an unknown base is not bundled', () => {
    const r = index.lookup('XYZ1235W');
    expect(r.kind).not.toBe('bundled');
    expect(r.kind).not.toBe('known');
  });
});

describe('lookup: near misses are suggestions, never a silent match', () => {
  it.each(['SMT1500K', 'SMT150J', 'SMT15000J', 'ＳＭＴ１５００Ｋ', 'smt1500', 'SMT1500JJ'])('%s → near_miss including SMT1500J', (raw) => {
    const r = index.lookup(raw);
    expect(r.kind, JSON.stringify(r)).toBe('near_miss');
    if (r.kind !== 'near_miss') return;
    expect(r.suggestions).toContain('SMT1500J');
    // Every suggestion is a printed model, one edit away from the input's key.
    for (const s of r.suggestions) expect(index.models.map((m) => m.printed)).toContain(s);
  });

  it('SMT150J is one edit from both SMT1500J and SMT750J: both are offered, sorted', () => {
    const r = index.lookup('SMT150J');
    expect(r).toEqual({ kind: 'near_miss', input: 'SMT150J', suggestions: ['SMT1500J', 'SMT750J'] });
  });

  it('SMC1500J (Smart-UPS C, not in the tables) is one substitution from SMT1500J: did-you-mean, not known', () => {
    const r = index.lookup('SMC1500J');
    expect(r).toEqual({ kind: 'near_miss', input: 'SMC1500J', suggestions: ['SMT1500J'] });
  });

  it('a near miss of a BE/BR model suggests the printed -JP model', () => {
    const r = index.lookup('BE550M');
    expect(r.kind).toBe('near_miss');
    if (r.kind === 'near_miss') expect(r.suggestions).toContain('BE550MI-JP');
  });

  it('a typo in the base of a bundled model suggests the bundled spelling', () => {
    const r = index.lookup('SMT1500RMJ2V5W');
    expect(r.kind).toBe('near_miss');
    if (r.kind === 'near_miss') expect(r.suggestions).toContain('SMT1500RMJ2U5W');
  });
});

describe('lookup: unknown input', () => {
  it.each(['XYZ123', 'SUA1500J', 'SMT9999XYZ', 'こんにちは', '', '   ', '-', 'ー'])('%j → unknown', (raw) => {
    expect(index.lookup(raw).kind).toBe('unknown');
  });

  it('over-long input is unknown and its echo is bounded', () => {
    const r = index.lookup('SMT1500J'.repeat(1000));
    expect(r.kind).toBe('unknown');
    if (r.kind === 'unknown') expect(r.input.length).toBeLessThanOrEqual(40);
  });
});

describe('extract: model numbers in free text', () => {
  it.each([
    ['SMT1500Jの保守', ['SMT1500J']],
    ['うちのＳＭＴ１５００ＲＭＪ２Ｕは', ['SMT1500RMJ2U']],
    ['SMT1500 RMJ2U 5W', ['SMT1500 RMJ2U 5W']],
    ['What SKUs fit my smt1500j?', ['SMT1500J']],
    ['BE550MI-JPとBR1200S-JP7W', ['BE550MI-JP', 'BR1200S-JP7W']],
    ['SMT1500J、SMT3000RMJ2U', ['SMT1500J', 'SMT3000RMJ2U']],
    ['型番はSMT−1500Jです', ['SMT-1500J']],
    ['保守について教えて', []],
  ])('%j → %j', (text, expected) => {
    expect(index.extract(text)).toEqual(expected);
  });

  it('the extracted tokens resolve through lookup', () => {
    expectKnown(index.lookup(index.extract('うちのＳＭＴ１５００ＲＭＪ２Ｕは')[0]!), 'SMT1500RMJ2U');
    const bundled = index.lookup(index.extract('SMT1500 RMJ2U 5W')[0]!);
    expect(bundled.kind === 'bundled' && bundled.printed).toBe('SMT1500RMJ2U5W');
  });

  it.each([
    'FAQ000281506',
    'https://www.se.com/jp/ja/faqs/FAQ000281506/',
    'WADVPLNIP-SU-02',
    'WEXTIYR-SU-02の価格は？',
    'WEXT3YR-SU-03',
    'WUPG4HR-SU-00',
    'WOE3YR-SU-01-PACK',
    'WOE5YR-SU-05-PACK',
    'WEXT3YR-SU055WPACK',
  ])('%j holds no model number', (text) => {
    expect(index.extract(text)).toEqual([]);
  });

  // Regression: the 3-year send-back pack SKUs as printed ("WEXTIYR-SU013WPACK", letter I) once
  // yielded the fragment after the dash ("SU013WPACK") as a model token.
  it.each(['WEXTIYR-SU013WPACK', 'WEXTIYR-SU053WPACK', 'WEXTIYR-SU023WPACKを注文したい'])('%j holds no model number', (text) => {
    expect(index.extract(text)).toEqual([]);
  });

  // Regression: a space-separated segment is glued to the model only when it mixes letters and
  // digits ("SMT1500 RMJ2U"); a year count, a quantity or a second model stays apart.
  it.each([
    ['SMT1500J 3年のサービスパックの型番は？', ['SMT1500J']],
    ['SMT1500J 2台の保守型番を教えて', ['SMT1500J']],
    ['SMT1500J SMT750J の年間保守の型番', ['SMT1500J', 'SMT750J']],
  ])('%j → %j', (text, expected) => {
    expect(index.extract(text)).toEqual(expected);
  });

  it('finds the model next to a SKU', () => {
    expect(index.extract('SMT1500J の WADVPLNIP-SU-02')).toEqual(['SMT1500J']);
  });
});
