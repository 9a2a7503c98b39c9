// Rules the classifier cannot learn from examples alone, applied to its ranking.
import type { IntentId } from '../reply.ts';
import type { MatchResult } from './matcher.ts';
import { foldText } from './normalize.ts';
import { maskModelNumbers, type ModelLookup } from '../sku/model.ts';

/**
 * Intents that only make sense with a particular cue in the text. Without it the matcher's
 * pick is dropped and the runner-up is used, e.g. "SMT2200Jのオンサイト1年、見積もり" has a
 * model number but no suffix, so it is not a suffix question.
 */
const INTENT_GUARDS: Partial<Record<IntentId, (text: string, models: readonly ModelLookup[]) => boolean>> = {
  bundled_model_decode: (text, found) =>
    found.some((m) => m.kind === 'bundled') || /\d\s*w(?![a-z])|os\s*\d|末尾|語尾|後ろ|うしろ|記号|サフィックス|suffix|ending|end in|ends in/i.test(text.normalize('NFKC')),
};

export function applyGuards(match: MatchResult, text: string, found: readonly ModelLookup[]): MatchResult {
  const top = match.ranked[0];
  const guard = top === undefined ? undefined : INTENT_GUARDS[top.intent];
  if (guard === undefined || guard(text, found)) return match;
  const ranked = match.ranked.slice(1);
  const total = ranked.reduce((sum, r) => sum + r.score, 0) || 1;
  // Renormalised like the classifier's own probabilities, so thresholds keep their meaning.
  return { ranked, confidence: round3((ranked[0]?.score ?? 0) / total) };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** "SMT1500J", "ＳＭＴ１５００Ｊは？": nothing but a model number (and a particle or two). */
export function isBareModel(text: string): boolean {
  // Longest first: 「SMT-2200Jです」 is bare ('で' before 'です' left a 'す').
  // "It's an SMX3000RMJ2U", "model: SMT1500J", "ours is the BR550S" are bare too.
  const words = foldText(maskModelNumbers(text)).replace(/\b(it s|its|it is|this is|that s|ours is|ours|our|my|an|a|the|model|is|unit|ups|we have|we use)\b/g, ' ');
  return words.replace(/xmodelx|でございます|になります|ですか|です|だよ|って|かな|は|の|を|で|だ|\?/g, '').trim() === '';
}

