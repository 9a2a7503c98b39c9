// Sparse features of a normalised text: words from Intl.Segmenter plus character n-grams,
// which carry Japanese (no spaces) and typos alike.
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

export type FeatureBag = Map<string, number>;

/** A feature's kind: a word, or a character n-gram of that length. The feature is `<kind>:<token>`. */
export type FeatureKind = 'w' | '1' | '2' | '3';

/**
 * Receives each feature occurrence with its weight (a feature may come more than once), as
 * kind and token apart, so that a lookup needs no concatenated key.
 */
export type FeatureVisitor = (kind: FeatureKind, token: string, weight: number) => void;

const ASCII = /^[\x00-\x7f]*$/;
const SURROGATE = /[\ud800-\udfff]/;
const STEMMABLE = /^[a-z]{4,}$/;
const ALNUM = /^[a-z0-9]+$/;

/**
 * Visits the features of a normalised text in a fixed order, without building a bag: the
 * matcher's hot path looks each one up as it comes. extractFeatures gives the same features.
 */
export function visitFeatures(normalized: string, visit: FeatureVisitor): void {
  if (ASCII.test(normalized)) {
    // Normalised ASCII is words and single spaces: Intl.Segmenter's word-like segments are
    // exactly the space-separated chunks (checked on every example and evaluation text), and
    // the segmenter is the dearest part of a turn's features.
    for (const word of normalized.split(' ')) if (word !== '') visitWord(word, visit);
  } else {
    for (const seg of segmenter.segment(normalized)) if (seg.isWordLike) visitWord(seg.segment, visit);
  }
  for (const chunk of normalized.split(' ')) {
    const padded = ALNUM.test(chunk) ? `_${chunk}_` : chunk;
    if (SURROGATE.test(padded)) {
      const chars = [...padded];
      for (let n = 2; n <= 3; n++) for (let i = 0; i + n <= chars.length; i++) visit(n === 2 ? '2' : '3', chars.slice(i, i + n).join(''), 1);
      if (chars.length === 1) visit('1', chars[0]!, 1);
      continue;
    }
    // No surrogate pairs (almost every text): code units are characters.
    for (let i = 0; i + 2 <= padded.length; i++) visit('2', padded.slice(i, i + 2), 1);
    for (let i = 0; i + 3 <= padded.length; i++) visit('3', padded.slice(i, i + 3), 1);
    if (padded.length === 1) visit('1', padded, 1);
  }
}

function visitWord(word: string, visit: FeatureVisitor): void {
  visit('w', word, 1);
  // English plurals and verb forms share a stem closely enough for this domain.
  if (STEMMABLE.test(word)) visit('w', word.replace(/(ing|ed|es|s)$/, ''), 0.5);
}

export function extractFeatures(normalized: string): FeatureBag {
  const bag: FeatureBag = new Map();
  visitFeatures(normalized, (kind, token, w) => {
    const f = `${kind}:${token}`;
    bag.set(f, (bag.get(f) ?? 0) + w);
  });
  return bag;
}
