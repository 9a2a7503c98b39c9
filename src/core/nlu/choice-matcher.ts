// A choice typed instead of clicked (Teams imBack, a user copying a button label, a typo in
// it): fuzzy-matched with fuse.js against the labels of the choices last offered.
import Fuse from 'fuse.js';
import type { Choice } from '../reply.ts';
import { foldText } from './normalize.ts';

/** Fuse scores run from 0 (exact) to 1; above this the typed text is not that label. */
const MAX_SCORE = 0.3;

export class ChoiceMatcher {
  readonly #choices: { id: string; label: string }[];
  readonly #longest: number;

  constructor(choices: readonly Choice[]) {
    this.#choices = choices.map((c) => ({ id: c.id, label: foldText(c.label) }));
    this.#longest = Math.max(0, ...this.#choices.map((c) => c.label.length));
  }

  /** The id of the choice the text names, if it names one unambiguously. */
  match(text: string): string | undefined {
    const typed = foldText(text);
    if (typed.length < 2 || this.#choices.length === 0) return undefined;
    const exact = this.#choices.find((c) => c.label === typed || c.id === text.trim());
    if (exact) return exact.id;
    // A question is longer than any label: not worth a fuzzy search (most typed turns).
    if (typed.length > this.#longest * 1.4) return undefined;
    const fuse = new Fuse(this.#choices, { keys: ['label'], includeScore: true, threshold: MAX_SCORE, ignoreLocation: true });
    const [best, second] = fuse.search(typed);
    if (best === undefined || best.score === undefined) return undefined;
    // A typed sentence that merely contains a label is not a click.
    const ratio = typed.length / best.item.label.length;
    if (ratio < 0.7 || ratio > 1.4) return undefined;
    if (second?.score !== undefined && second.score - best.score < 0.1) return undefined;
    return best.item.id;
  }
}
