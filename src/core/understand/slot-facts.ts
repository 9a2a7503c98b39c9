// Slot facts from free text, driven by intents/slots.yaml: which dialog facts a message
// states (several per message, in any order), with negation applied in scope. See the
// header of slots.yaml for the reading rules; this module only executes them.
import { z } from 'zod';
import { maskModelNumbers } from '../sku/model.ts';
import { foldScript } from '../nlu/normalize.ts';
import type { SlotName } from '../dialog/slots.ts';

const PhraseList = z.array(z.string().min(1));
const Bilingual = z.object({ ja: PhraseList.default([]), en: PhraseList.default([]) }).strict();

const Cue = z
  .object({
    value: z.string().min(1),
    negated: z.string().min(1).optional(),
    generic: z.boolean().default(false),
    notInQuestions: z.boolean().default(false),
    ja: PhraseList.default([]),
    en: PhraseList.default([]),
  })
  .strict();

export const SlotsFile = z
  .object({
    schemaVersion: z.literal(1),
    sentenceEnds: PhraseList,
    clauseJoins: PhraseList.default([]),
    /** A clause join right after one of these is part of a word (「問題なし、」 is not 「…し、」). */
    clauseJoinsNotAfter: PhraseList.default([]),
    /** Cues that do not count right after て/で (the progressive 「…ています」). */
    notAfterTe: PhraseList.default([]),
    contrastMarkers: Bilingual,
    ignore: PhraseList.default([]),
    negation: z
      .object({
        ja: z.object({ markers: PhraseList, notNegation: PhraseList, requests: PhraseList, crossComma: PhraseList.default([]) }).strict(),
        en: z.object({ before: PhraseList, reach: z.number().int().min(1).max(12) }).strict(),
      })
      .strict(),
    slots: z.record(z.string(), z.object({ topics: Bilingual, cues: z.array(Cue).min(1) }).strict()),
    years: z
      .object({
        allowed: z.array(z.number().int().min(1).max(10)).min(1),
        jaBefore: PhraseList,
        jaAfter: PhraseList,
        jaRejectAfter: PhraseList,
        enBefore: PhraseList,
        /** Words before a bare number that replace a length said earlier ("I meant 3", 「いや、5」). */
        correctionBefore: PhraseList.default([]),
        enAfter: PhraseList,
        words: z.record(z.string(), z.number().int().min(1).max(10)),
      })
      .strict(),
    answers: z.record(z.string(), z.object({ affirm: z.string(), deny: z.string() }).strict()),
    /** Phrases that look like an act but are not one ("壊れたら" is no failure report). */
    actIgnore: PhraseList.default([]),
    acts: z.record(z.enum(['affirm', 'deny', 'correction', 'restart', 'handoff', 'failure', 'consult', 'pack', 'add_later', 'question', 'asks_sku', 'has_contract', 'outside', 'service', 'request']), Bilingual),
  })
  .strict();
export type SlotsFile = z.infer<typeof SlotsFile>;

export type DialogAct = 'affirm' | 'deny' | 'correction' | 'restart' | 'handoff' | 'failure' | 'consult' | 'pack' | 'add_later' | 'question' | 'asks_sku' | 'has_contract' | 'outside' | 'service' | 'request';

export interface SlotFact {
  slot: SlotName;
  value: string | number;
  polarity: 'positive' | 'negated';
  /** The words that stated it, as folded. */
  evidence: string;
  /** Read only because that slot was just asked (a bare "はい", a generic word without its topic). */
  weak?: boolean;
}

export interface SlotReading {
  facts: SlotFact[];
  /** The last value stated per slot. */
  frame: Partial<Record<SlotName, string | number>>;
  acts: DialogAct[];
}

/** Folding for phrase matching; unlike the intent normaliser it keeps punctuation (clauses). */
/** "24/7" and "7x24" look like model numbers to the masker: they are named 24x7 first. */
const name247 = (text: string): string => text.replace(/24\s*[/x×*]\s*7|7\s*[x×*]\s*24/gi, ' 24x7 ');

export function foldForSlots(raw: string): string {
  // 「必要ございません」 is 「必要ありません」: the polite form hides the negation's shape (its
  // 「いません」 reads as a cue of its own), so both are read as the plain one.
  // "downtime's fine" is "downtime is fine" (a word with 's glued on matched no phrase); cues
  // are folded the same way, so "that's fine" still matches itself.
  return foldScript(raw).replace(/[’‘`]/g, "'").replace(/([a-z])'s\b/g, '$1 is').replace(/[ \t\u3000]+/g, ' ').replace(/ございま/g, 'ありま');
}

/** A message that ends on a concession: 「…重いけど」, 「…高いですが」. */
const TRAILING_CONCESSION = /(けど|けれど|けれども|けども|ですが|ますが)[。．.!！…\s]*$/;

/** A hedge or filler opening an answer ("probably, yes", "Also no, …", 「たぶん、はい」), taken off; "probably not" stays whole. */
function withoutHedge(head: string): string {
  return head.replace(/^(probably|maybe|i think|i guess|i believe|also|honestly|well|so|hmm+|um+|uh+|ah|oh|それも|正直|たぶん|多分|おそらく|一応|まあ|うーん|えっと|えーと)(?! not\b)[,、\s]+/, '');
}

/** Common words that are a phrase word with two letters swapped, whatever the intent examples hold. */
const REAL_WORD_SWAPS = new Set(['form', 'from', 'quite', 'quiet', 'angle', 'angel', 'trial', 'trail', 'diary', 'dairy', 'casual', 'causal', 'united', 'untied', 'sign', 'sing', 'tried', 'tired', 'warp', 'wrap', 'suing', 'lien', 'bale', 'cots', 'etch', 'acme', 'ides', 'dose', 'bets', 'lats', 'fiber', 'fibre', 'sued', 'adds']);

const isAscii = (p: string) => /^[\x20-\x7e]+$/.test(p);
const WORD = /[a-z0-9']/;

/** ASCII phrases match only as whole words ("no" is not inside "nobody"). */
function wholeWord(text: string, i: number, phrase: string): boolean {
  if (!isAscii(phrase)) return true;
  const before = text[i - 1];
  const after = text[i + phrase.length];
  return !((WORD.test(phrase[0]!) && before !== undefined && WORD.test(before)) || (WORD.test(phrase.at(-1)!) && after !== undefined && WORD.test(after)));
}

/**
 * Phrases indexed by their first character: one pass over a text finds every occurrence of
 * every phrase (overlaps included), instead of one indexOf scan per phrase (~1,300 of them).
 */
class PhraseIndex<T> {
  readonly #byFirst = new Map<string, { phrase: string; item: T }[]>();

  constructor(entries: readonly { phrase: string; item: T }[]) {
    for (const e of entries) {
      if (e.phrase.length === 0) continue;
      const list = this.#byFirst.get(e.phrase[0]!) ?? [];
      list.push(e);
      this.#byFirst.set(e.phrase[0]!, list);
    }
  }

  find(text: string): { start: number; end: number; phrase: string; item: T }[] {
    const hits: { start: number; end: number; phrase: string; item: T }[] = [];
    for (let i = 0; i < text.length; i++) {
      const list = this.#byFirst.get(text[i]!);
      if (list === undefined) continue;
      for (const e of list) if (text.startsWith(e.phrase, i) && wholeWord(text, i, e.phrase)) hits.push({ start: i, end: i + e.phrase.length, phrase: e.phrase, item: e.item });
    }
    return hits;
  }

}


interface Marker {
  start: number;
  end: number;
  slot: SlotName;
  kind: 'topic' | 'cue';
  /** For cues: the candidate readings (a generic phrase may belong to several slots). */
  readings: { slot: SlotName; value: string; negated?: string; generic: boolean; notInQuestions: boolean }[];
  ascii: boolean;
}

interface CompiledCue {
  phrase: string;
  slot: SlotName;
  value: string;
  negated?: string;
  generic: boolean;
  notInQuestions: boolean;
}

export interface SlotReader {
  read(text: string, asked?: SlotName): SlotReading;
}

/** Binary slots: a negated value is the other one. */
const OPPOSITE: Record<string, string> = {
  owned: 'new_purchase',
  new_purchase: 'owned',
  tolerable: 'minimize',
  minimize: 'tolerable',
  yes: 'no',
  no: 'yes',
};

/**
 * realWords: English words known to be real (those of the intent examples), which are never
 * read as a typo of a phrase word.
 */
export function createSlotReader(file: SlotsFile, slotValues: Record<SlotName, readonly string[]>, realWords: ReadonlySet<string> = new Set()): SlotReader {
  const fold = (p: string) => foldForSlots(p);
  const cues: CompiledCue[] = [];
  const topics: { phrase: string; slot: SlotName }[] = [];
  for (const [slotName, def] of Object.entries(file.slots)) {
    const slot = slotName as SlotName;
    for (const p of [...def.topics.ja, ...def.topics.en]) topics.push({ phrase: fold(p), slot });
    for (const cue of def.cues) {
      for (const p of [...cue.ja, ...cue.en]) cues.push({ phrase: fold(p), slot, value: cue.value, ...(cue.negated ? { negated: cue.negated } : {}), generic: cue.generic, notInQuestions: cue.notInQuestions });
    }
  }
  const topicIndex = new PhraseIndex(topics.map((t) => ({ phrase: t.phrase, item: t })));
  const cueIndex = new PhraseIndex(cues.map((c) => ({ phrase: c.phrase, item: c })));
  const jaMarkers = file.negation.ja.markers.map(fold).sort((a, b) => b.length - a.length);
  const notNegation = [...file.negation.ja.notNegation, ...file.negation.ja.requests].map(fold);
  const crossComma = file.negation.ja.crossComma.map(fold);
  const auxiliaries = new Set(file.notAfterTe.map(fold));
  const enNegation = new Set(file.negation.en.before.map(fold));
  const splitters = [...file.sentenceEnds, ...file.contrastMarkers.ja, ...file.contrastMarkers.en].map(fold);
  // Clause joins are split points too, but not inside a word (see clauseJoinsNotAfter).
  const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  /** One pattern for a list of phrases, longest first. */
  const anyOf = (list: string[]) => new RegExp([...list].sort((a, b) => b.length - a.length).map(escape).join('|') || '(?!)', 'g');
  const notAfter = file.clauseJoinsNotAfter.map((x) => escape(fold(x))).join('|');
  const splitPattern = new RegExp(
    [...splitters.map((x) => ({ x, source: escape(x) })), ...file.clauseJoins.map(fold).map((x) => ({ x, source: notAfter ? `(?<!${notAfter})${escape(x)}` : escape(x) }))]
      .sort((a, b) => b.x.length - a.x.length)
      .map((p) => p.source)
      .join('|'),
    'g',
  );
  // The same 24/7 → 24x7 naming as read() applies, so "runs 24/7" still matches its phrase.
  const ignorePattern = anyOf(file.ignore.map((p) => fold(name247(p))));
  const actIgnorePattern = anyOf(file.actIgnore.map(fold));
  const acts = Object.entries(file.acts).map(([act, list]) => ({ act: act as DialogAct, ja: list.ja.map(fold), en: list.en.map(fold) }));
  const actIndex = new PhraseIndex(acts.filter((a) => a.act !== 'affirm' && a.act !== 'deny').flatMap((a) => [...a.ja, ...a.en].map((phrase) => ({ phrase, item: a.act }))));

  // The articles ("for a year") count only right before the unit: as words of a sentence they
  // say nothing about numbers.
  const numberWords = Object.keys(file.years.words).filter((w) => w !== 'a' && w !== 'an').map(fold);
  const yearWords = new RegExp(numberWords.join('|'));
  const yearsPattern = new RegExp(`(\\d{1,2}|(?<![a-z])(?:${Object.keys(file.years.words).map(fold).join('|')}))\\s*(?:more\\s+)?(年間|年|ねん|-?years?|-?yrs?|-?year|(?<=\\d)y(?![a-z0-9-]))`);
  // "12 months", 「36ヶ月」: a length in whole years, said in months (procurement's wording).
  const monthsPattern = /(\d{2})\s*-?\s*(?:months?|mos?\b|ヶ月|か月|カ月|ヵ月|ケ月|け月|箇月)/g;
  const yearWordsOrDigits = new RegExp(`\\d|${yearWords.source}`);
  // English typos of two letters swapped ("swpa", "yeras", "downitme"): a word no phrase uses
  // that becomes exactly one word of the phrases when two neighbouring letters trade places.
  const phraseWords = new Set([...topics.map((x) => x.phrase), ...cues.map((c) => c.phrase), ...acts.flatMap((a) => a.en), ...Object.keys(file.years.words), 'years', 'year'].flatMap((p) => p.match(/[a-z']+/g) ?? []));
  const swapped = new Map<string, string | null>();
  for (const word of phraseWords) {
    if (word.length < 4 || word.includes("'")) continue;
    for (let i = 0; i + 1 < word.length; i++) {
      if (word[i] === word[i + 1]) continue;
      const typo = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (phraseWords.has(typo) || realWords.has(typo) || REAL_WORD_SWAPS.has(typo)) continue;
      // Two phrase words one swap apart from the same typo: not a guess worth making.
      swapped.set(typo, swapped.has(typo) && swapped.get(typo) !== word ? null : word);
    }
  }
  function unswapped(text: string): string {
    if (!/[a-z]{4}/.test(text)) return text;
    // Whole words only: "hadn't" is not a typo of "hand".
    return text.replace(/(?<![a-z'])[a-z]{4,}(?![a-z'])/g, (w) => swapped.get(w) ?? w);
  }

  function sentences(text: string): string[] {
    return text.split(splitPattern).map((p) => p.trim()).filter((p) => p.length > 0);
  }

  function markersOf(sentence: string): Marker[] {
    const found: Marker[] = [];
    for (const h of topicIndex.find(sentence)) found.push({ start: h.start, end: h.end, slot: h.item.slot, kind: 'topic', readings: [], ascii: isAscii(h.phrase) });
    const byspan = new Map<string, Marker>();
    for (const { start, end, phrase, item: c } of cueIndex.find(sentence)) {
      if (auxiliaries.has(phrase) && (sentence[start - 1] === 'て' || sentence[start - 1] === 'で')) continue;
      const key = `${start}:${end}`;
      const m = byspan.get(key) ?? { start, end, slot: c.slot, kind: 'cue' as const, readings: [], ascii: isAscii(phrase) };
      m.readings.push({ slot: c.slot, value: c.value, ...(c.negated ? { negated: c.negated } : {}), generic: c.generic, notInQuestions: c.notInQuestions });
      byspan.set(key, m);
    }
    found.push(...byspan.values());
    // Longest first at each place; a marker inside a longer cue is part of that cue.
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: Marker[] = [];
    for (const m of found) {
      // Overlapping phrases: the one that starts first (and then the longest) is the word read.
      const inside = kept.some((k) => k.kind === 'cue' && k.start < m.end && m.start < k.end && (k.start < m.start || k.end - k.start > m.end - m.start || m.kind === 'topic'));
      if (!inside) kept.push(m);
    }
    return kept.sort((a, b) => a.start - b.start);
  }

  /** Which slot a cue speaks about: its own, or for a generic phrase the nearest topic's. */
  function assign(sentence: string, m: Marker, all: Marker[], asked: SlotName | undefined, carried: SlotName | undefined): (Marker['readings'][number] & { weak?: boolean }) | undefined {
    const specific = m.readings.find((r) => !r.generic);
    if (specific) return specific;
    const others = all.filter((o) => o !== m && (o.kind === 'topic' || o.readings.some((r) => !r.generic)));
    const slotOf = (o: Marker) => (o.kind === 'topic' ? o.slot : o.readings.find((r) => !r.generic)!.slot);
    const before = others.filter((o) => o.end <= m.start).at(-1);
    const after = others.find((o) => o.start >= m.end);
    // Japanese names the topic before its predicate ("交換は…できる"), English mostly after
    // ("need nights and weekends"): look there first.
    // An ASCII word in a Japanese sentence (「停止OK・自社交換OK」) follows Japanese order.
    if (m.ascii && !JAPANESE.test(sentence)) {
      // English: the first topic after the cue in its clause that the cue can speak about
      // ("don't want anyone turning up at 2am" → the night, not "anyone").
      for (const o of others.filter((x) => x.start >= m.end)) {
        if (/[,;、]| and | but /.test(sentence.slice(m.end, o.start))) break;
        const r = m.readings.find((x) => x.slot === slotOf(o));
        if (r) return r;
      }
    }
    // In English a generic word does not reach back over a clause boundary ("no need for 24x7,
    // and we want 3 years" — the want is about the years, not the 24x7 before the comma).
    const english = m.ascii && !JAPANESE.test(sentence);
    const order = [english && before !== undefined && /[,;、]| and | but /.test(sentence.slice(before.end, m.start)) ? undefined : before, after];
    for (const near of order) {
      if (near === undefined) continue;
      const slot = slotOf(near);
      const r = m.readings.find((x) => x.slot === slot);
      if (r) return r;
      if (near === order[0]) return undefined;
    }
    if (before === undefined && after === undefined) {
      // No topic in this sentence: the question just asked, else the previous sentence's topic
      // (「交換？無理無理」, 「4時間対応は要る？いや、いらない」).
      const r = m.readings.find((x) => x.slot === asked) ?? m.readings.find((x) => x.slot === carried);
      return r ? { ...r, ...(r.slot === asked ? { weak: true } : {}) } : undefined;
    }
    return undefined;
  }

  const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
  const EXISTS_QUESTION = /(ってある|はある|もある|ありますか|あるんですか|あるんでしょうか|あるの|ある|options?|available|offered)\s*$/;
  /** A bare length right after a correction word (not an hour, a count or an age). */
  const correctedLength = new RegExp(`(?:${file.years.correctionBefore.map((p) => escape(fold(p))).join('|') || '(?!)'})[\\s,、:：]*(\\d{1,2})(?!\\d|\\.\\d|\\s*(?:hours?|h\\b|時間|台|units?|%|年前|years? ago))`, 'g');
  /** "not 3, 5", "not 3 years but 5". */
  const NOT_THIS_BUT = /\bnot\s+\d{1,2}\s*(?:years?)?\s*(?:,|but|;)\s*(\d{1,2})\b/;
  const REVISED_ANSWER = /(?:actually|on second thought|no wait|scratch that|やっぱり|やっぱ)[,、\s]*(yes|yeah|yep|sure|no|nope|はい|いいえ)(?![a-z])/g;
  /** Short dialect endings count only at a word's end: 「困らん」「いらんわ」, not 「ぷらんに」 (プラン). */
  const ENDING_ONLY = new Set(['らん', 'へん']);
  function countJaNegations(scope: string): number {
    let s = scope;
    for (const p of notNegation) s = s.split(p).join(' ');
    // 「できず」「困らず」: the classical ず right after the cue's stem negates it.
    let n = /^ず/.test(s) ? 1 : 0;
    if (n === 1) s = s.slice(1);
    for (let i = 0; i < s.length; ) {
      const marker = jaMarkers.find((mk) => s.startsWith(mk, i) && (!ENDING_ONLY.has(mk) || /^($|[。、！？!?\s〓わよのでしけやな])/.test(s.slice(i + mk.length))));
      if (marker) {
        n++;
        i += marker.length;
      } else i++;
    }
    return n;
  }

  function negatedJa(sentence: string, m: Marker, slot: SlotName, all: Marker[], speaks: (o: Marker) => boolean): boolean {
    let end = sentence.length;
    for (const o of all) {
      if (o.start < m.end) continue;
      // A generic word that speaks about no slot here is part of the predicate (「確認|することが|でき|ません」).
      // One that carries its own negation (「問題ない」) is a predicate of its own, and ends it.
      if (o.kind === 'cue' && !speaks(o) && !jaMarkers.some((mk) => sentence.slice(o.start, o.end).includes(mk))) continue;
      // Any other cue, or another slot's topic, starts a new predicate: 「翌営業日に来てもらえれば
      // 問題ない」 — the ない belongs to 問題, not to 来て.
      // A generic word right after the cue is the cue's own ending (「持って|いない」).
      const ending = o.start === m.end && o.readings.every((r) => r.generic);
      const ends = o.kind === 'topic' ? o.slot !== slot : !ending;
      if (ends) {
        end = Math.min(end, o.start);
        break;
      }
    }
    // A comma ends the scope, except before "…ってことはない" and the like.
    for (let i = sentence.indexOf('、', m.end); i !== -1 && i < end; i = sentence.indexOf('、', i + 1)) {
      const rest = sentence.slice(i + 1).trimStart();
      if (!crossComma.some((p) => rest.startsWith(p))) {
        end = i;
        break;
      }
    }
    return countJaNegations(sentence.slice(m.end, end)) % 2 === 1;
  }

  function negatedEn(sentence: string, m: Marker, slot: SlotName, all: Marker[]): boolean {
    // Negation reaches back past this slot's own words ("nobody on site can swap") but not
    // past another slot's cue.
    let start = 0;
    for (const o of all) if (o.end <= m.start && o !== m && o.kind === 'cue' && !o.readings.some((r) => r.slot === slot)) start = Math.max(start, o.end);
    const window = sentence.slice(start, m.start);
    // "No - next business day is fine": a no set off by a dash or a stop is an answer, not a negation.
    const clause = window.split(/,| and | or |、| [-–—]+ ?|[.;:!?] /).at(-1) ?? '';
    const words = clause.trim().split(/\s+/).filter(Boolean).slice(-file.negation.en.reach);
    let n = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!.replace(/[^a-z']/g, '');
      if (enNegation.has(w) || w.endsWith("n't") || (w === 'no' && words[i + 1] === 'one')) n++;
    }
    return n % 2 === 1;
  }

  function readYears(text: string, asked: SlotName | undefined): SlotFact[] {
    const y = file.years;
    const out: SlotFact[] = [];
    const re = new RegExp(yearsPattern.source, 'g');
    const inYears = [...text.matchAll(re)].map((match) => ({ match, n: /\d/.test(match[1]!) ? Number(match[1]) : y.words[match[1]!] }));
    const inMonths = [...text.matchAll(monthsPattern)].map((match) => ({ match, n: Number(match[1]) % 12 === 0 ? Number(match[1]) / 12 : undefined }));
    for (const { match, n } of [...inYears, ...inMonths].sort((a, b) => a.match.index! - b.match.index!)) {
      if (n === undefined || !y.allowed.includes(n)) continue;
      const end = match.index! + match[0].length;
      const after = text.slice(end, end + 16).trimStart();
      const before = text.slice(Math.max(0, match.index! - 20), match.index!);
      if (y.jaAfter.some((p) => after.startsWith(fold(p)))) continue;
      if (y.jaRejectAfter.some((p) => after.startsWith(fold(p)))) continue;
      if (y.enAfter.some((p) => after.startsWith(fold(p)))) continue;
      if (y.enBefore.some((p) => before.trimEnd().endsWith(fold(p)))) continue;
      if (y.jaBefore.some((p) => before.trimEnd().endsWith(fold(p)))) continue;
      // "3年と5年", "3 or 5 years": alternatives asked about, not a choice.
      if (/^(と|や|か|or |and |vs\.? |versus |\/|・)\s*\d/.test(after) || /\d\s*(年|years?)?\s*(と|や|か|or|and|vs\.?|versus|\/|・)\s*$/.test(before)) continue;
      if (/(去|昨|毎|来|今)$/.test(before) && match[1] === '一') continue;
      // 「7年保証ってあるんですか？」, "is there a 7-year option?": asks whether a length exists.
      const rest = text.slice(end).split(/[。！？!?\n]/)[0] ?? '';
      const asking = /^[?？]/.test(text.slice(end + rest.length)) || /か\s*$/.test(rest);
      // ("Could you recommend the 3-year option?" asks for it: a request, not whether it exists.)
      const wants = /\b(recommend|quote|suggest|give me|send me|we'?d like|we want|i want|go with)\b[^.?!]*$/.test(text.slice(0, match.index!));
      if (asking && !wants && (EXISTS_QUESTION.test(rest) || /\b(is|are) there\b[^.?!]*$/.test(before))) continue;
      out.push({ slot: 'years', value: n, polarity: 'positive', evidence: match[0] });
    }
    // "5 years, sorry, I meant 3", "7 years. No wait, make that 5", "3 years isn't enough, give
    // me 5": a bare length after a correction, once a length has been mentioned (or asked).
    const mentioned = yearsPattern.test(text);
    if (mentioned || asked === 'years') {
      const corrected = [...text.matchAll(correctedLength)].at(-1) ?? text.match(NOT_THIS_BUT) ?? undefined;
      const n = corrected ? Number(corrected[1]) : undefined;
      if (corrected && n !== undefined && y.allowed.includes(n)) {
        out.length = 0;
        out.push({ slot: 'years', value: n, polarity: 'positive', evidence: corrected[0] });
        return out;
      }
    }
    if (out.length === 0 && asked === 'years') {
      const bare = text.match(new RegExp(`^\\s*(\\d{1,2}|${numberWords.join('|')})\\s*(で|です|でお願いします|でおねがいします|please)?\\s*([.!。!、,]|$)`));
      const n = bare ? (/\d/.test(bare[1]!) ? Number(bare[1]) : y.words[bare[1]!]) : undefined;
      if (bare && n !== undefined && y.allowed.includes(n)) out.push({ slot: 'years', value: n, polarity: 'positive', evidence: bare[0] });
    }
    return out;
  }

  function readActs(raw: string): DialogAct[] {
    const text = raw.replace(actIgnorePattern, ' ');
    const found: DialogAct[] = [];
    const head = text.trim();
    const named = new Set(actIndex.find(text).map((h) => h.item));
    // "Probably, yes", 「たぶん、はい」: a hedge in front of the answer is not the answer.
    const opens = (p: string) => opensWith(head, p) || opensWith(withoutHedge(head), p);
    for (const { act, ja, en } of acts) {
      const leading = act === 'affirm' || act === 'deny';
      const hit = leading ? [...ja, ...en].some(opens) : named.has(act);
      if (hit) found.push(act);
    }
    // "probably not" said no; the hedge taken off, "not" must not leave a yes behind.
    if (found.includes('affirm') && found.includes('deny') && denyWords.some((p) => opensWith(head, p))) found.splice(found.indexOf('affirm'), 1);
    // "no, hmm, actually yes", 「いいえ、やっぱりはい」: a yes or no after a correction is the answer.
    const revised = [...text.matchAll(REVISED_ANSWER)].at(-1)?.[1];
    if (revised !== undefined) {
      const act: DialogAct = /^(yes|yeah|yep|sure|はい)$/.test(revised) ? 'affirm' : 'deny';
      return [...found.filter((a) => a !== 'affirm' && a !== 'deny'), act];
    }
    return found;
  }

  /**
   * A whole short answer, or its first word followed by a pause: "はい、…", "No, I mean …",
   * "No - next business day is fine"; not "no one can…" or "no problem".
   */
  function opensWith(head: string, p: string): boolean {
    if (!head.startsWith(p)) return false;
    const rest = head.slice(p.length);
    if (rest.trim() === '') return true;
    if (!isAscii(p)) return /^[、。,.!?！？\s]/.test(rest);
    return /^\s*[,.!?;:\-–—]/.test(rest) || (/^\s/.test(rest) && p !== 'no');
  }

  /** A sentence that opens with a yes or a no ("Not really.", "Also no, …", 「いいえ、…」). */
  const answerWords = (act: DialogAct) => acts.filter((a) => a.act === act).flatMap((a) => [...a.ja, ...a.en]).sort((a, b) => b.length - a.length);
  const affirmWords = answerWords('affirm');
  const denyWords = answerWords('deny');
  function leadingAnswer(sentence: string): 'affirm' | 'deny' | undefined {
    // As said ("I think so", "probably not"), else without its opening hedge ("Also no, …").
    const said = sentence.trim();
    const heads = [said, withoutHedge(said)];
    if (denyWords.some((p) => heads.some((h) => opensWith(h, p)))) return 'deny';
    if (affirmWords.some((p) => heads.some((h) => opensWith(h, p)))) return 'affirm';
    return undefined;
  }

  function read(raw: string, asked?: SlotName): SlotReading {
    // "24/7" and "7x24" look like model numbers to the masker: name them first.
    const guarded = name247(raw.normalize('NFKC'));
    const folded = unswapped(foldForSlots(maskModelNumbers(guarded).replace(/\bxmodelx\b/gi, '〓').replace(/\bround the clock\b/g, '24x7')));
    const text = folded.replace(ignorePattern, ' ');
    const facts: SlotFact[] = [];
    const sentenceOf = new Map<SlotFact, number>();
    const split = sentences(text);
    // A sentence is a question when a question mark follows it in the text.
    const sentenceIsQuestion = new Map<string, boolean>();
    let from = 0;
    for (const x of split) {
      const at = text.indexOf(x, from);
      if (at === -1) continue;
      from = at + x.length;
      sentenceIsQuestion.set(x, /^\s*[?？]/.test(text.slice(from)));
    }
    let carried: SlotName | undefined;
    // "Can it go down? Not really.", 「交換？無理です」: a short question the user asks
    // themselves, answered by a yes or no right after it. The question states nothing; the
    // answer gives its slot the answers map's value.
    const selfAnswers: { index: number; slot: SlotName; act: 'affirm' | 'deny' }[] = [];
    for (const [index, sentence] of split.entries()) {
      if (!(sentenceIsQuestion.get(sentence) ?? false) || sentence.length > 40 || index + 1 >= split.length) continue;
      const act = leadingAnswer(split[index + 1]!);
      const topic = markersOf(sentence).find((o) => o.kind === 'topic' || o.readings.some((r) => !r.generic));
      const slot = topic === undefined ? undefined : topic.kind === 'topic' ? topic.slot : topic.readings.find((r) => !r.generic)!.slot;
      if (act !== undefined && slot !== undefined && file.answers[slot] !== undefined) selfAnswers.push({ index, slot, act });
    }
    for (const [index, sentence] of split.entries()) {
      const selfAnswered = selfAnswers.find((x) => x.index === index);
      if (selfAnswered !== undefined) {
        facts.push({ slot: selfAnswered.slot, value: file.answers[selfAnswered.slot]![selfAnswered.act], polarity: selfAnswered.act === 'deny' ? 'negated' : 'positive', evidence: `${sentence} ${selfAnswered.act}` });
        sentenceOf.set(facts.at(-1)!, index + 1);
        continue;
      }
      const all = markersOf(sentence);
      const topicHere = [...all].reverse().find((o) => o.kind === 'topic' || o.readings.some((r) => !r.generic));
      const isQuestion = sentenceIsQuestion.get(sentence) ?? false;
      const short = !/[\d〓]/.test(sentence) && !yearWords.test(sentence) && sentence.length <= 25;
      const readings = new Map(all.filter((o) => o.kind === 'cue').map((o) => [o, assign(sentence, o, all, asked, short ? carried : undefined)] as const));
      const speaks = (o: Marker) => readings.get(o) !== undefined;
      for (const m of all) {
        if (m.kind !== 'cue') continue;
        // Only a short, topic-less reply carries the previous sentence's topic ("いや、いらない");
        // 「期間は1年でお願いします」 is about the length, not the 24x7 just mentioned.
        const reading = readings.get(m);
        // A question about the rules states nothing about the user (「素人でもできるもんですか？」).
        if (reading === undefined || ((reading.notInQuestions || reading.generic) && isQuestion)) continue;
        const negated = m.ascii && !JAPANESE.test(sentence) ? negatedEn(sentence, m, reading.slot, all) : negatedJa(sentence, m, reading.slot, all, speaks);
        const value = negated ? (reading.negated ?? OPPOSITE[reading.value]) : reading.value;
        if (value === undefined || value === 'none' || !slotValues[reading.slot].includes(value)) continue;
        facts.push({ slot: reading.slot, value, polarity: negated ? 'negated' : 'positive', evidence: sentence.slice(m.start, m.end), ...(reading.weak ? { weak: true } : {}) });
        sentenceOf.set(facts.at(-1)!, index);
      }
      if (topicHere) carried = topicHere.kind === 'topic' ? topicHere.slot : topicHere.readings.find((r) => !r.generic)!.slot;
    }
    facts.push(...readYears(text, asked));
    // A generic word read only because its slot was asked ("お願いします") does not count when
    // its sentence states facts of its own ("期間は1年でお願いします" answers the years).
    const years = facts.filter((f) => f.slot === 'years');
    const kept = facts.filter((f) => {
      // "don't know yet, it's a new purchase" to the model question still answers it.
      if (!f.weak || (f.slot === 'model' && f.value === 'unknown')) return true;
      const at = sentenceOf.get(f);
      const others = facts.some((g) => g !== f && !g.weak && g.slot !== asked && sentenceOf.get(g) === at);
      const yearsHere = years.length > 0 && yearWordsOrDigits.test(split[at ?? -1] ?? '');
      return !others && !yearsHere;
    });
    facts.splice(0, facts.length, ...kept);
    // 「できなくはない、かな。重いけど」: a trailing "…けど" is an afterthought conceded, not the
    // answer: it does not overrule what the message said first about the same slot.
    const lastSentence = split.length - 1;
    if (lastSentence > 0 && TRAILING_CONCESSION.test(text)) {
      const afterthought = facts.filter((f) => sentenceOf.get(f) === lastSentence && f.weak);
      for (const f of afterthought) {
        const earlier = facts.some((g) => g.slot === f.slot && g.value !== f.value && (sentenceOf.get(g) ?? lastSentence) < lastSentence);
        if (earlier) facts.splice(facts.indexOf(f), 1);
      }
    }
    const frame: SlotReading['frame'] = {};
    for (const f of facts) frame[f.slot] = f.value;
    const found = readActs(folded);
    // A bare yes/no ("はい", "No, …") answers the question just asked.
    const answer = asked === undefined ? undefined : file.answers[asked];
    if (answer !== undefined && asked !== undefined && frame[asked] === undefined) {
      const act = found.includes('deny') ? 'deny' : found.includes('affirm') ? 'affirm' : undefined;
      if (act !== undefined) {
        frame[asked] = answer[act];
        facts.push({ slot: asked, value: answer[act], polarity: act === 'deny' ? 'negated' : 'positive', evidence: act, weak: true });
      }
    }
    return { facts, frame, acts: found };
  }

  return { read };
}
