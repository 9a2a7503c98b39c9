// A choice typed instead of clicked (Teams imBack, a user copying a button label, a typo in
// it): fuzzy-matched with fuse.js against the labels of the choices last offered.
import Fuse from 'fuse.js';
import type { Choice } from '../reply.ts';
import { foldText } from './normalize.ts';

/** Fuse scores run from 0 (exact) to 1; above this the typed text is not that label. */
const MAX_SCORE = 0.3;
/** Offered sets are few (the menu, each question, a handful of "did you mean" pairs). */
const INDEX_CACHE_SIZE = 64;

interface LabelIndex {
  choices: { id: string; label: string }[];
  longest: number;
  fuse: Fuse<{ id: string; label: string }>;
}

/** Folded labels and their fuse index per offered set, built once and reused by every turn that offers it. */
const indexes = new Map<string, LabelIndex>();

function indexFor(offered: readonly Choice[]): LabelIndex {
  const key = offered.map((c) => `${c.id}\u0000${c.label}`).join('\u0001');
  const known = indexes.get(key);
  if (known !== undefined) return known;
  const choices = offered.map((c) => ({ id: c.id, label: foldText(c.label) }));
  const index: LabelIndex = {
    choices,
    longest: Math.max(0, ...choices.map((c) => c.label.length)),
    fuse: new Fuse(choices, { keys: ['label'], includeScore: true, threshold: MAX_SCORE, ignoreLocation: true }),
  };
  if (indexes.size >= INDEX_CACHE_SIZE) indexes.delete(indexes.keys().next().value!);
  indexes.set(key, index);
  return index;
}

export class ChoiceMatcher {
  readonly #offered: readonly Choice[];

  constructor(choices: readonly Choice[]) {
    this.#offered = choices;
  }

  /** The id of the choice the text names, if it names one unambiguously. */
  match(text: string): string | undefined {
    const typed = foldText(text);
    if (typed.length < 2 || this.#offered.length === 0) return undefined;
    const { choices, longest, fuse } = indexFor(this.#offered);
    const exact = choices.find((c) => c.label === typed || c.id === text.trim());
    if (exact) return exact.id;
    // A question is longer than any label: not worth a fuzzy search (most typed turns).
    if (typed.length > longest * 1.4) return undefined;
    const [best, second] = fuse.search(typed);
    if (best === undefined || best.score === undefined) return undefined;
    // A typed sentence that merely contains a label is not a click.
    const ratio = typed.length / best.item.label.length;
    if (ratio < 0.7 || ratio > 1.4) return undefined;
    if (second?.score !== undefined && second.score - best.score < 0.1) return undefined;
    return best.item.id;
  }
}
