// Text normalisation for matching Japanese and English alike: NFKC, case, kana script,
// long vowels and small kana, punctuation and emoji, then spelling variants (synonyms).
// NFKC leaves 〜 and ‐ alone, so punctuation is stripped by Unicode class, not by NFKC.

/** Katakana → hiragana, so バッテリー and ばってりー compare equal. */
function toHiragana(s: string): string {
  return s.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

const SMALL_KANA: Record<string, string> = {
  ぁ: 'あ', ぃ: 'い', ぅ: 'う', ぇ: 'え', ぉ: 'お', っ: 'つ', ゃ: 'や', ゅ: 'ゆ', ょ: 'よ', ゎ: 'わ', ゕ: 'か', ゖ: 'け',
};

/** NFKC, case, katakana → hiragana, small kana, no long-vowel marks; punctuation kept. */
export function foldScript(raw: string): string {
  let s = raw.normalize('NFKC').toLowerCase();
  s = toHiragana(s);
  s = s.replace(/[ぁぃぅぇぉっゃゅょゎゕゖ]/g, (c) => SMALL_KANA[c] ?? c);
  // Long-vowel marks and wave dashes carry no meaning for matching.
  return s.replace(/[ー〜～]/g, '');
}

/** Script-level folding without synonyms: the form synonyms are written in, too. */
export function foldText(raw: string): string {
  let s = foldScript(raw);
  // Punctuation, symbols and emoji (incl. ‐ U+2010, which NFKC keeps) become spaces.
  s = s.replace(/[\p{P}\p{S}\p{Extended_Pictographic}\p{Cc}\p{Cf}]/gu, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

export interface SynonymRule {
  canonical: string;
  variants: string[];
}

export interface Normalizer {
  (raw: string): string;
}

/** Builds the normaliser: folding, then variants → canonical (longest variant first). */
export function createNormalizer(rules: readonly SynonymRule[]): Normalizer {
  const pairs: [string, string][] = [];
  for (const rule of rules) {
    const canonical = foldText(rule.canonical);
    for (const v of rule.variants) {
      const folded = foldText(v);
      if (folded.length > 0 && folded !== canonical) pairs.push([folded, canonical]);
    }
  }
  pairs.sort((a, b) => b[0].length - a[0].length);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // ASCII variants match whole words only ("call" must not fire inside "recall").
  const pattern = new RegExp(
    pairs.map(([v]) => (/^[a-z0-9 ]+$/.test(v) ? `\\b${escape(v)}\\b` : escape(v))).join('|'),
    'g',
  );
  const lookup = new Map(pairs);
  return (raw: string) => {
    const folded = foldText(raw);
    if (pairs.length === 0) return folded;
    return folded.replace(pattern, (m) => ` ${lookup.get(m) ?? m} `).replace(/\s+/g, ' ').trim();
  };
}
