// Which language a text is in: Japanese when it has any kana or kanji, else English.
import type { Lang } from './turn.ts';

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
const LATIN_LETTER = /[A-Za-z]/;

export function detectLang(text: string, fallback: Lang = 'ja'): Lang {
  if (JAPANESE.test(text)) return 'ja';
  // A bare model number or SKU ("SMT1500J", "WUPG4HR-SU-00") says nothing about the language.
  const words = text.replace(/[A-Za-z0-9-]*\d[A-Za-z0-9-]*/g, ' ').match(/[A-Za-z]{3,}/g) ?? [];
  const englishWords = words.filter((w) => !/\d/.test(w) && /[aeiou]/i.test(w));
  if (englishWords.length > 0 && LATIN_LETTER.test(text)) return 'en';
  return fallback;
}
