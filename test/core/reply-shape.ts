// Drives the real engine through every FAQ intent and every ending of the guided dialog, in
// Japanese and English, and measures the replies of each turn: which fact strings repeat in
// the text, and how long the prose is (list lines aside). Used by reply-shape.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Engine } from '../../src/core/engine.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { Lang } from '../../src/core/turn.ts';
import { projectPath } from '../../src/core/paths.ts';

export interface Turn {
  text?: string;
  choice?: string;
}

export interface Ending {
  /** e.g. "faq:contact", "dialog:owned/minimize/no/SMT1500J/1". */
  name: string;
  lang: Lang;
  turns: Turn[];
  /** The replies of the last turn. */
  replies: Reply[];
}

const PHONE = /0\d{1,4}-\d{1,4}-\d{4}/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const URL_PATTERN = /https?:\/\/[^\s）)」]+/g;

/** Every phone number, e-mail address, URL and printed SKU in a text, once per occurrence. */
export function factsIn(text: string, printedSkus: ReadonlySet<string>): string[] {
  const found = [...(text.match(PHONE) ?? []), ...(text.match(EMAIL) ?? []), ...(text.match(URL_PATTERN) ?? [])];
  for (const sku of printedSkus) {
    // A SKU inside a longer SKU (WUPG4HR-SU-00 in nothing, WOE3YR-SU-01 in …-PACK) counts once, as the longer one.
    const pattern = new RegExp(`(?<![A-Z0-9-])${sku.replace(/[-]/g, '\\-')}(?![A-Z0-9-])`, 'g');
    found.push(...(text.match(pattern) ?? []));
  }
  return found;
}

/** The fact strings that occur more than once in the text of one turn's replies. */
export function repeatedFacts(replies: readonly Reply[], printedSkus: ReadonlySet<string>): string[] {
  const counts = new Map<string, number>();
  for (const fact of replies.flatMap((r) => factsIn(r.text, printedSkus))) counts.set(fact, (counts.get(fact) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([fact, n]) => `${fact} ×${n}`);
}

/** A list item: "・…", "- …", "1. …", "1) …", "① …". */
const LIST_LINE = /^\s*(?:[・•]|- |\d+[.)] |[①-⑳])/;

/** Characters of prose in a turn's text: list lines aside, line breaks not counted. */
export function proseLength(replies: readonly Reply[]): number {
  return replies
    .flatMap((r) => r.text.split('\n'))
    .filter((line) => !LIST_LINE.test(line))
    .reduce((n, line) => n + Array.from(line.trim()).length, 0);
}

/** Characters of the whole text of a turn, lists included. */
export function textLength(replies: readonly Reply[]): number {
  return replies.reduce((n, r) => n + Array.from(r.text.replace(/\n/g, '')).length, 0);
}

/** The intents whose answer is an FAQ (answers.yaml), not a dialog step or small talk. */
export const FAQ_INTENTS = [
  'service_role', 'warranty_coverage', 'paid_options', 'annual_levels', 'after_warranty_enrollment', 'offering_comparison',
  'sendback_vs_onsite', 'annual_application', 'service_pack_registration', 'bundled_models', 'battery_coverage', 'registration',
  'certificate', 'failure_support', 'contact', 'trade_ups', 'pricing', 'warranty_period', 'human_handoff', 'out_of_scope',
  'greeting', 'thanks', 'help',
] as const;

function examplesOf(intent: string, lang: Lang): string[] {
  const file = path.join(projectPath('intents'), `${intent}.yaml`);
  const doc = parse(readFileSync(file, 'utf8')) as { examples: Record<Lang, string[]> };
  return doc.examples[lang] ?? [];
}

let sequence = 0;
const NOW = new Date('2026-11-27T10:00:00+09:00');

async function run(engine: Engine, turns: Turn[], lang: Lang): Promise<Reply[]> {
  const conversation = `shape-${++sequence}`;
  let last: Reply[] = [];
  for (const turn of turns) last = (await engine.handle({ conversation, ...turn, locale: lang, now: NOW })).replies;
  return last;
}

/** One answer per FAQ intent and language: the first training example the engine routes to it. */
export async function faqEndings(engine: Engine): Promise<Ending[]> {
  const endings: Ending[] = [];
  for (const intent of FAQ_INTENTS) {
    for (const lang of ['ja', 'en'] as const) {
      for (const text of examplesOf(intent, lang).slice(0, 12)) {
        const replies = await run(engine, [{ text }], lang);
        const got = replies.at(-1)?.intent ?? 'out_of_scope';
        if (got === intent) {
          endings.push({ name: `faq:${intent}`, lang, turns: [{ text }], replies });
          break;
        }
      }
    }
  }
  return endings;
}

const MODELS = ['SMT1500J', 'BE550MI-JP', 'SRT5KXLJ', 'SMT750RMJ1U', 'SMC1500IJ'];

/**
 * Every ending of the guided dialog: each offered answer at each question, for several models
 * (an SU model, a BE/BR model, a pack-only and an annual-only model, one in no table) and
 * "I don't know the model". Depth-first over the choices, one conversation per path.
 */
export async function dialogEndings(engine: Engine): Promise<Ending[]> {
  const endings: Ending[] = [];
  const seen = new Set<string>();
  async function explore(lang: Lang, model: string | null, turns: Turn[]): Promise<void> {
    const replies = await run(engine, turns, lang);
    const last = replies.at(-1)!;
    const answers = last.choices.filter((c) => !c.id.startsWith('intent:'));
    const asksModel = answers.some((c) => c.id === 'model:unknown');
    if (last.recommendation !== null || answers.length === 0) {
      const name = `dialog:${turns.map((t) => t.choice?.replace(/^[a-z_0-9]+:/, '') ?? t.text).join('/')}`;
      if (!seen.has(`${lang}${name}`)) {
        seen.add(`${lang}${name}`);
        endings.push({ name, lang, turns, replies });
      }
      return;
    }
    if (asksModel) {
      await explore(lang, model, [...turns, model === null ? { choice: 'model:unknown' } : { text: model }]);
      return;
    }
    for (const answer of answers) await explore(lang, model, [...turns, { choice: answer.id }]);
  }
  for (const lang of ['ja', 'en'] as const) {
    for (const model of [...MODELS, null]) await explore(lang, model, [{ choice: 'intent:recommend_service' }]);
  }
  return endings;
}

/** The other ways a conversation ends: SKU lists, a pasted SKU, a decode, handoffs. */
export async function otherEndings(engine: Engine): Promise<Ending[]> {
  const cases: Record<Lang, { name: string; turns: Turn[] }[]> = {
    ja: [
      { name: 'sku:SMT1500J', turns: [{ text: 'SMT1500Jのサービス型番を教えて' }] },
      { name: 'sku:BE550MI-JP', turns: [{ text: 'BE550MI-JPの保守型番は？' }] },
      { name: 'sku:SRT5KXLJ', turns: [{ text: 'SRT5KXLJ' }] },
      { name: 'sku:unknown-model', turns: [{ text: 'SMC1500IJの保守型番は？' }] },
      { name: 'sku:pasted', turns: [{ text: 'WUPG4HR-SU-00' }] },
      { name: 'sku:pasted-misspelt', turns: [{ text: 'WEXT1YR-SU-02' }] },
      { name: 'decode:bundled', turns: [{ text: 'SMT1500RMJ2U5Wってどういう意味？' }] },
      { name: 'handoff:failed-owned', turns: [{ choice: 'intent:recommend_service' }, { choice: 'timing:owned' }, { text: 'もう故障している' }] },
      { name: 'handoff:two-misses', turns: [{ text: 'asdfghjk' }, { text: 'qwertyuiop' }] },
      { name: 'faq:pack-for-owned-unit', turns: [{ text: 'SMT1500Jを持っているけどサービスパックは付けられる？' }] },
      { name: 'dialog:changed-after-recommendation', turns: [{ text: 'SMT1500Jの保守を選びたい。止められない' }, { choice: 'timing:owned' }, { choice: 'response_24x7:no' }, { text: 'やっぱり止まっても大丈夫、自分で交換できる' }] },
      { name: 'handoff:near-miss-confirmed', turns: [{ text: 'SMT1500RMU2Uの保守' }, { text: 'SMT1500RMU2Uで合ってます' }] },
      { name: 'sku:typed-for-another-model', turns: [{ text: 'SMT1500JにWADVPLNIP-SU-01を付けたい' }] },
    ],
    en: [
      { name: 'sku:SMT1500J', turns: [{ text: 'Which service SKUs fit the SMT1500J?' }] },
      { name: 'sku:unknown-model', turns: [{ text: 'What are the service SKUs for the SMC1500IJ?' }] },
      { name: 'sku:pasted', turns: [{ text: 'What is WUPG4HR-SU-00?' }] },
      { name: 'decode:bundled', turns: [{ text: 'What does SMT1500RMJ2U5W mean?' }] },
      { name: 'handoff:two-misses', turns: [{ text: 'asdfghjk' }, { text: 'qwertyuiop' }] },
      { name: 'dialog:changed-after-recommendation', turns: [{ text: 'I want to choose maintenance for my SMT1500J, it must not stop' }, { choice: 'timing:owned' }, { choice: 'response_24x7:no' }, { text: 'Actually a stop is fine and we can swap it ourselves' }] },
    ],
  };
  const endings: Ending[] = [];
  for (const lang of ['ja', 'en'] as const) {
    for (const c of cases[lang]) endings.push({ ...c, lang, replies: await run(engine, c.turns, lang) });
  }
  return endings;
}
