// Which language to answer in. Decided once per turn by the engine and handed to every
// channel with the replies (conversation.md §5: `lang`); no channel guesses from the text.
import type { Lang } from './turn.ts';

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/g;
// A model number or SKU ("SMT1500J", "WUPG4HR-SU-00") says nothing about the language.
const CODE = /[A-Za-z0-9-]*\d[A-Za-z0-9-]*/g;
// Words that only occur in English sentences; gibberish ("asdfghjk") has none of them.
const FUNCTION_WORDS = new Set(
  ('a an the i me my we our you your it its is are was be been am do does did can could will would should ' +
    'what which who whom how when where why whether if or and but not no to of for in on at by with from about ' +
    'this that these those there here have has had there please any some much many than then so up out').split(' '),
);

function englishWords(text: string): string[] {
  return (text.replace(CODE, ' ').match(/[A-Za-z]+(?:'[a-z]+)?/g) ?? []).map((w) => w.toLowerCase());
}

/** Any English word (used when nothing else is known about the user's language). */
function hasEnglishWord(words: string[]): boolean {
  return words.some((w) => w.length >= 3 && /[aeiouy]/.test(w));
}

/** A whole English sentence: two words or more, one of them a function word ("how", "the", "is"…). */
export function isEnglishSentence(text: string): boolean {
  const words = englishWords(text);
  return words.length >= 2 && words.some((w) => FUNCTION_WORDS.has(w));
}

/**
 * The turn's language. Japanese script means Japanese (unless it is a few Japanese words in
 * an English sentence). With a language already known (the conversation's, or the page's or
 * client's locale), only a whole English sentence switches to English, so "yes", "OK",
 * "asdfghjk" or a model number keep it; with nothing known, any English word means English.
 */
export function chooseLang(text: string, preferred: Lang | undefined): Lang {
  const japanese = text.match(JAPANESE)?.length ?? 0;
  const words = englishWords(text);
  const latin = words.join('').length;
  if (japanese > 0) return isEnglishSentence(text) && latin > 3 * japanese ? 'en' : 'ja';
  if (preferred === undefined) return hasEnglishWord(words) ? 'en' : 'ja';
  if (preferred === 'ja') return isEnglishSentence(text) ? 'en' : 'ja';
  return 'en';
}
