// Sparse features of a normalised text: words from Intl.Segmenter plus character n-grams,
// which carry Japanese (no spaces) and typos alike.
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

export type FeatureBag = Map<string, number>;

export function extractFeatures(normalized: string): FeatureBag {
  const bag: FeatureBag = new Map();
  const add = (f: string, w = 1) => bag.set(f, (bag.get(f) ?? 0) + w);
  for (const seg of segmenter.segment(normalized)) {
    if (!seg.isWordLike) continue;
    const word = seg.segment;
    add(`w:${word}`);
    // English plurals and verb forms share a stem closely enough for this domain.
    if (/^[a-z]{4,}$/.test(word)) add(`w:${word.replace(/(ing|ed|es|s)$/, '')}`, 0.5);
  }
  for (const chunk of normalized.split(' ')) {
    const padded = /^[a-z0-9]+$/.test(chunk) ? `_${chunk}_` : chunk;
    const chars = [...padded];
    for (let n = 2; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++) add(`${n}:${chars.slice(i, i + n).join('')}`);
    }
    if (chars.length === 1) add(`1:${chars[0]}`);
  }
  return bag;
}
