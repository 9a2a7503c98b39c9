// Model numbers: normalise what users type, find them in free text, look them up in the
// SKU tables, decode bundled suffixes and suggest near misses (never resolved silently).
import { distance } from 'fastest-levenshtein';
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Level } from '../reply.ts';

/** Dash-like characters that NFKC leaves alone (‐ U+2010, − U+2212, ー …) or maps to "-". */
const DASHES = /[-\u2010-\u2015\u2212\u30fc\uff70\ufe63\uff0d]/g;
/** The same, but the katakana long-vowel mark only between letters or digits ("ＳＭＴー１５００"), not in "サービス". */
const DASHES_IN_TEXT = /[-\u2010-\u2015\u2212\ufe63\uff0d]|(?<=[A-Za-z0-9])[\u30fc\uff70](?=[A-Za-z0-9])/g;

/** Canonical key: NFKC, upper case, no spaces, no dashes. "ｓｍｔ-1500 rmj2u" → "SMT1500RMJ2U". */
export function modelKey(raw: string): string {
  return raw.normalize('NFKC').toUpperCase().replace(/\s+/g, '').replace(DASHES, '');
}

export interface TableModel {
  /** As printed in the table, e.g. "BE550MI-JP". */
  printed: string;
  annualGroup: string | null;
  packGroup: string | null;
}

export interface BundledSuffix {
  suffix: string;
  level: Level;
  years: number;
}

export type ModelLookup =
  | { kind: 'known'; model: TableModel }
  | { kind: 'bundled'; printed: string; base: TableModel; suffix: BundledSuffix }
  | { kind: 'near_miss'; input: string; suggestions: string[] }
  | { kind: 'unknown'; input: string };

export interface ModelIndex {
  lookup(raw: string): ModelLookup;
  /** Model-number-like tokens in free text, in order of appearance. */
  extract(text: string): string[];
  readonly models: readonly TableModel[];
}

// Letters, digits, then more letters/digits; a space or dash may separate a further segment
// only when that segment mixes letters and digits ("SMT1500 RMJ2U", "SMT1500RMJ2U 5W") or is
// "JP" — not a bare number ("SMT1500J 3年"), not a count ("SMT750J x2") and not the start of
// another model.
const CANDIDATE =
  /(?<![A-Z0-9])[A-Z]{2,4}[ -]?\d{1,5}[A-Z0-9]*(?:[ -](?:(?![A-Z]{2,4}\d{2})(?!X\d{1,3}(?![A-Z0-9]))(?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*\d)[A-Z0-9]+|JP)(?![A-Z0-9]))*/g;
/** A SKU shape anywhere in a token, glued to other letters too ("SRT1000XLJWEXTIYR-SWOE3"). */
const SKU_INSIDE = /W(?:EXT|ADV|UPG|OE)[A-Z0-9-]*/g;
/** Service SKUs as printed (WEXTIYR-SU023WPACK, WADVPLNIP-SU-02, WOE3YR-SU-01-PACK): never model numbers. */
const SKU_LIKE = /(?<![A-Z0-9])W(?:EXT|ADV|UPG|OE)[A-Z0-9]*(?:-[A-Z0-9]+)*/g;
/** Shorter keys ("OS3", "USB3") are suffixes or other things, not model numbers. */
const MIN_MODEL_KEY = 5;
/** A letter prefix written apart from its digits: "SMT 1500J", "NEED 4". */
const SEPARATED_PREFIX = /^([A-Z]{2,4})[ -]\d/;
/** Words just before or after a model number that rule it out ("not SMT1500J", 「SMT1500Jではなく」). */
const RULED_OUT_BEFORE = /(?:\bNOT|N'T|INSTEAD OF|RATHER THAN|\bNO LONGER)\s*(?:AN?\s+|THE\s+)?$/;
const RULED_OUT_AFTER = /^\s*(?:ではなく|ではなかった|じゃなく|じゃなかった|でなく|ではありません|じゃない|ではない|は間違|は誤|IS WRONG|WAS WRONG)/;
/** Tokens that look like model numbers but are FAQ ids or service SKUs. */
const NOT_A_MODEL = /^(FAQ|W[A-Z]{2,}\d?[A-Z]*\d*YR|WADV|WUPG|WOE|ISO|JIS|RFC|HTTP)|^(INC|REQ|CHG|PRB|RITM|TASK|TKT|CASE|ORD|INV|EST|QT|PO)\d+$/;

export function buildModelIndex(kb: KnowledgeBase): ModelIndex {
  const byPrinted = new Map<string, TableModel>();
  for (const [tableName, table] of [['annual', kb.tables.annual], ['service_pack', kb.tables.service_pack]] as const) {
    for (const group of table.groups) {
      for (const printed of group.models) {
        const model = byPrinted.get(printed) ?? { printed, annualGroup: null, packGroup: null };
        if (tableName === 'annual') model.annualGroup = group.id;
        else model.packGroup = group.id;
        byPrinted.set(printed, model);
      }
    }
  }
  const models = [...byPrinted.values()];
  // Both "BE550MIJP" and "BE550MI" reach BE550MI-JP: users rarely type the -JP.
  const byKey = new Map<string, TableModel>();
  for (const m of models) {
    byKey.set(modelKey(m.printed), m);
    if (m.printed.endsWith('-JP')) byKey.set(modelKey(m.printed.slice(0, -3)), m);
  }
  const suffixes = kb.services.bundled.suffixes;
  const prefixes = new Set(models.map((m) => modelKey(m.printed).match(/^[A-Z]+/)?.[0] ?? ''));

  function decodeBundled(key: string): { base: TableModel; suffix: BundledSuffix } | undefined {
    for (const s of suffixes) {
      if (!key.endsWith(s.suffix) || key.length <= s.suffix.length) continue;
      const base = byKey.get(key.slice(0, -s.suffix.length));
      if (base !== undefined) return { base, suffix: s };
    }
    return undefined;
  }

  function nearMisses(key: string): string[] {
    const found = new Set<string>();
    for (const [k, m] of byKey) if (distance(k, key) === 1) found.add(m.printed);
    // A typo in the base of a bundled model: suggest the bundled spelling.
    for (const s of suffixes) {
      if (!key.endsWith(s.suffix) || key.length <= s.suffix.length) continue;
      const baseKey = key.slice(0, -s.suffix.length);
      for (const [k, m] of byKey) if (distance(k, baseKey) === 1) found.add(`${m.printed.replace(/-JP$/, '')}${s.suffix}`);
    }
    return [...found].sort();
  }

  return {
    models,
    lookup(raw) {
      const key = modelKey(raw);
      // `input` is echoed back ("… is not in my tables"): a SKU-shaped part inside it is left
      // out, so no reply ever prints a SKU that is not in the tables.
      const input = raw.normalize('NFKC').trim().toUpperCase().replace(SKU_INSIDE, '…');
      if (key.length === 0 || key.length > 40) return { kind: 'unknown', input: input.slice(0, 40) };
      const known = byKey.get(key);
      if (known !== undefined) return { kind: 'known', model: known };
      const bundled = decodeBundled(key);
      if (bundled !== undefined) {
        const printed = `${bundled.base.printed.replace(/-JP$/, '')}${bundled.suffix.suffix}`;
        return { kind: 'bundled', printed, ...bundled };
      }
      const suggestions = nearMisses(key);
      if (suggestions.length > 0) return { kind: 'near_miss', input, suggestions };
      return { kind: 'unknown', input };
    },
    extract(text) {
      const upper = text.normalize('NFKC').toUpperCase().replace(DASHES_IN_TEXT, '-').replace(SKU_LIKE, ' ');
      const found: { token: string; ruledOut: boolean }[] = [];
      for (const match of upper.matchAll(CANDIDATE)) {
        let token = match[0].trim();
        // "SMT 1000 J": a letters-only last segment written apart counts only when it completes
        // a model of the tables (a word after a number is otherwise just a word: "SMT1500 I think").
        const tail = /^[ -]([A-Z]{1,3})(?![A-Z0-9])/.exec(upper.slice(match.index + match[0].length));
        if (tail && !byKey.has(modelKey(token)) && byKey.has(modelKey(token + tail[1]))) token = `${token} ${tail[1]}`;
        const key = modelKey(token);
        if (key.length < MIN_MODEL_KEY || NOT_A_MODEL.test(key)) continue;
        // "need 4-hour", "want 3 years": a word and a number apart are a model only with a
        // prefix the tables use ("SMT 1500J").
        const apart = token.match(SEPARATED_PREFIX);
        if (apart && !prefixes.has(apart[1]!)) continue;
        const at = match.index;
        const ruledOut = RULED_OUT_BEFORE.test(upper.slice(Math.max(0, at - 16), at)) || RULED_OUT_AFTER.test(upper.slice(at + match[0].length, at + match[0].length + 8));
        found.push({ token, ruledOut });
      }
      // "actually it's an SMT3000J, not SMT1500J", 「SMT1500JではなくSMT3000J」: the model the
      // user rules out is not one they name, as long as they name another.
      const named = found.filter((f) => !f.ruledOut);
      return (named.length > 0 ? named : found).map((f) => f.token);
    },
  };
}

/** Service-SKU-like tokens in free text ("wadvplnip-su-02", "ＷＥＸＴ１ＹＲ－ＳＵ－０２"), upper-cased. */
export function extractSkuTokens(text: string): string[] {
  const upper = text.normalize('NFKC').toUpperCase().replace(DASHES_IN_TEXT, '-');
  return [...upper.matchAll(SKU_LIKE)].map((m) => m[0]);
}

/** Replaces model-number-like tokens with one placeholder word, so that "SMT1500J の型番" and
 * "BR550S-JP の型番" look alike to the intent matcher. */
export function maskModelNumbers(text: string): string {
  const upper = text.normalize('NFKC').replace(DASHES_IN_TEXT, '-').replace(new RegExp(SKU_LIKE.source, 'gi'), ' ');
  return upper.replace(new RegExp(CANDIDATE.source, 'gi'), (m) => {
    if (modelKey(m).length < MIN_MODEL_KEY || NOT_A_MODEL.test(modelKey(m))) return m;
    // A word written in lower case apart from a number ("need 4", "Want 1") is English, not a model.
    if (SEPARATED_PREFIX.test(m.toUpperCase()) && /^[A-Za-z]*[a-z]/.test(m)) return m;
    return ' xmodelx ';
  });
}
