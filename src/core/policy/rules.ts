// The dialog policy: what to do with an understood turn, as an ordered list of named rules.
// The first rule that applies decides; each says in one line why it stands where it does.
// Pure over (state, understanding): applying the action is act.ts, wording is respond/.
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { IntentId } from '../reply.ts';
import type { ConversationState, Slots } from '../dialog/state.ts';
import { isSlotName, SLOT_VALUES } from '../dialog/slots.ts';
import { modelKey, type ModelLookup } from '../sku/model.ts';
import { factCount, type TurnUnderstanding } from '../understand/understand.ts';

/** Below this calibrated confidence nothing is claimed: out_of_scope. */
export const OUT_OF_SCOPE_BELOW = 0.2;
/** Between the two: offer the best candidates ("did you mean…?") instead of guessing. */
export const ASK_BELOW = 0.45;

export type Action =
  | { kind: 'refuse_choice' }
  | { kind: 'menu_intent'; intent: IntentId }
  | { kind: 'resume' }
  | { kind: 'stop_dialog' }
  | { kind: 'restart'; confidence: number }
  | { kind: 'handoff'; confidence: number }
  | { kind: 'failed_unit' }
  | { kind: 'near_miss_confirmed'; input: string }
  | { kind: 'pack_for_owned_unit'; confidence: number }
  /** Fill slots from `base` with what the turn states, then ask the next question or conclude. */
  | { kind: 'fill'; base: 'dialog' | 'concluded' | 'fresh'; stated: Slots; model?: ModelLookup; confidence: number }
  | { kind: 'faq'; intent: IntentId; confidence: number; pause: boolean }
  | { kind: 'model_answer'; found: ModelLookup; purpose: 'sku_lookup' | 'bundled_model_decode'; confidence: number }
  | { kind: 'sku_info'; token: string; confidence: number }
  | { kind: 'not_understood' }
  | { kind: 'did_you_mean' }
  | { kind: 'out_of_scope' };

interface Input {
  state: ConversationState;
  u: TurnUnderstanding;
  kb: KnowledgeBase;
  lookup(model: string): ModelLookup;
}

interface Rule {
  name: string;
  why: string;
  when(i: Input): Action | undefined;
}

/** Intents a message carrying the user's situation may be classified as when it really asks "which service?". */
const DIALOG_ADJACENT = new Set<IntentId | undefined>([
  undefined, 'recommend_service', 'after_warranty_enrollment', 'annual_levels', 'sendback_vs_onsite', 'paid_options',
  'offering_comparison', 'service_role', 'out_of_scope', 'bundled_models', 'warranty_coverage', 'battery_coverage',
  'help', 'greeting',
]);
/** Intents that are their own question even when the message also describes the situation. */
const ASIDE = new Set<IntentId>(['annual_application', 'service_pack_registration', 'registration', 'certificate', 'contact', 'trade_ups', 'failure_support', 'human_handoff', 'restart', 'thanks', 'bundled_model_decode']);
/** Its own question, or (for sku_lookup) a request for the SKU list that names SKUs ("…の品番は？"). */
const isAside = (u: TurnUnderstanding) =>
  u.confidence >= OUT_OF_SCOPE_BELOW &&
  ((u.top !== undefined && ASIDE.has(u.top) && (u.top !== 'failure_support' || u.acts.includes('failure'))) || (u.top === 'sku_lookup' && u.acts.includes('asks_sku')));
/** Questions about joining a service: with a failure reported they get the "too late" answer. */
const ENROLLMENT = new Set<IntentId | undefined>(['after_warranty_enrollment', 'recommend_service', 'annual_application', 'paid_options', 'annual_levels', 'offering_comparison']);
/** After a failure told earlier, these ask whether the failed unit can still be covered. */
const JOIN_NOW = new Set<IntentId | undefined>(['after_warranty_enrollment', 'recommend_service', 'annual_application', 'paid_options']);
/** Letters, digits, then letters (or four digits), and not the word UPS itself. */
const LOOKS_LIKE_A_MODEL = /^(?!UPS)[A-Z]{2,4}(?:\d{2,5}[A-Z]|\d{4})/;
/** Questions about a unit's maintenance that a model number in no table cannot get a general answer to. */
const MODEL_TOPICS = new Set<IntentId | undefined>(['sku_lookup', 'annual_application', 'after_warranty_enrollment', 'paid_options', 'annual_levels', 'offering_comparison', 'service_pack_registration', 'sendback_vs_onsite']);
/** Questions a bundled model number answers by what it includes (「…OS5を買えば別途パックは不要？」). */
const BUNDLED_TOPICS = new Set<IntentId | undefined>(['service_pack_registration', 'bundled_models', 'bundled_model_decode', 'sku_lookup', 'paid_options', 'offering_comparison', 'warranty_coverage', 'warranty_period', 'battery_coverage', 'annual_levels']);
/** With a pasted SKU, these mean "what is this SKU?"; any other intent is answered as asked. */
const SKU_QUESTION = new Set<IntentId | undefined>([undefined, 'sku_lookup', 'bundled_model_decode', 'out_of_scope', 'help', 'greeting', 'thanks']);

const inDialog = (s: ConversationState) => s.phase.kind === 'asking' || s.phase.kind === 'paused';
const confident = (u: TurnUnderstanding) => u.top !== undefined && u.confidence >= ASK_BELOW;
const lastModel = (u: TurnUnderstanding) => u.models.at(-1);
const hasFacts = (u: TurnUnderstanding) => factCount(u) > 0;
/** `<slot>:<value>` with a value of the slot table (`model:unknown`, not a model number: those come from "did you mean"). */
function isSlotAnswer(choice: string): boolean {
  const colon = choice.indexOf(':');
  const slot = choice.slice(0, colon);
  return colon > 0 && isSlotName(slot) && SLOT_VALUES[slot].includes(choice.slice(colon + 1));
}

const isMenuIntent = (kb: KnowledgeBase, id: string) => kb.menu.some((m) => m.intent === id) || ['restart', 'help', 'human_handoff', 'recommend_service'].includes(id);
const fill = (base: 'dialog' | 'concluded' | 'fresh', u: TurnUnderstanding, confidence = 1): Action => {
  const model = lastModel(u);
  return { kind: 'fill', base, stated: u.stated, ...(model ? { model } : {}), confidence };
};

/** Does the turn state a value other than the one behind the last recommendation? */
function changes(concluded: Slots, u: TurnUnderstanding): boolean {
  const stated = Object.entries(u.stated).some(([slot, v]) => slot !== 'model' && concluded[slot as keyof Slots] !== v);
  const model = lastModel(u);
  const modelChanged = model !== undefined && u.acts.includes('correction') && (concluded.model?.kind === 'unknown' || (model.kind === 'known' && concluded.model?.kind === 'known' && concluded.model.printed !== model.model.printed));
  return stated || modelChanged;
}

function clicked(i: Input, choice: string): Action {
  const [kind = '', ...rest] = choice.split(':');
  const value = rest.join(':');
  const { state } = i;
  if (kind === 'intent') return { kind: 'menu_intent', intent: value as IntentId };
  if (kind === 'continue') return state.phase.kind !== 'paused' ? { kind: 'refuse_choice' } : value === 'yes' ? { kind: 'resume' } : { kind: 'stop_dialog' };
  if (kind === 'model') {
    const found: ModelLookup = value === 'unknown' ? { kind: 'unknown', input: '' } : i.lookup(value);
    if (inDialog(state) || state.nearMiss) {
      return value === 'unknown' ? { kind: 'fill', base: 'dialog', stated: { model: { kind: 'unknown', input: null } }, confidence: 1 } : { kind: 'fill', base: 'dialog', stated: {}, model: found, confidence: 1 };
    }
    // "I don't know the model" outside the dialog: after a recommendation it is a changed answer;
    // otherwise nothing can be looked up, and the call center can find the model with the user.
    if (value === 'unknown') return state.concluded ? { kind: 'fill', base: 'concluded', stated: { model: { kind: 'unknown', input: null } }, confidence: 1 } : { kind: 'handoff', confidence: 1 };
    const purpose = state.phase.kind === 'awaiting_model' ? state.phase.purpose : 'sku_lookup';
    return { kind: 'model_answer', found, purpose, confidence: 1 };
  }
  if (isSlotName(kind) && kind !== 'model') {
    const stated: Slots = kind === 'years' ? { years: Number(value) } : ({ [kind]: value } as Slots);
    return { kind: 'fill', base: state.concluded && !inDialog(state) ? 'concluded' : 'dialog', stated, confidence: 1 };
  }
  return { kind: 'refuse_choice' };
}

export const RULES: readonly Rule[] = [
  {
    name: 'choice_not_offered',
    why: 'a click counts when the last reply or the menu offered it, or when it answers a question of the dialog by its own id (a button of an earlier message, a question asked in another order); other ids do nothing',
    when: ({ state, u, kb }) => {
      if (u.choice === null || u.typed) return undefined;
      const offered = state.offered.some((c) => c.id === u.choice);
      const menu = u.choice.startsWith('intent:') && isMenuIntent(kb, u.choice.slice('intent:'.length));
      return offered || menu || isSlotAnswer(u.choice) ? undefined : { kind: 'refuse_choice' };
    },
  },
  {
    name: 'choice',
    why: 'a click (or its label typed) means exactly its id',
    when: (i) => (i.u.choice !== null ? clicked(i, i.u.choice) : undefined),
  },
  {
    name: 'person_requested',
    why: 'asking for a person wins over a model number or an open question in the same message',
    when: ({ state, u }) => {
      // An answer to the open question is not mistaken for a request ("1 year, please"), nor is a
      // changed answer after the recommendation (「やっぱり3年にしてください」).
      const answering = (inDialog(state) || (state.concluded != null && changes(state.concluded, u))) && factCount(u, true) > 0 && !u.acts.includes('handoff');
      // A message describing the situation is not a request for a person on the classifier's word
      // alone (「…IT担当者が常駐しておりません…」 names staff, it asks for none).
      const situation = factCount(u, true) >= 2 && !u.acts.includes('handoff');
      const asked = u.top === 'human_handoff' && u.confidence >= OUT_OF_SCOPE_BELOW && !answering && !situation;
      // Or the words ask for one and the classifier, unsure, has a person second ("Can I talk to
      // a human about the contract for our SMT750J?"; not 「土日もサポート窓口は対応していますか？」).
      const distracted =
        u.acts.includes('handoff') &&
        (u.top === undefined || ['human_handoff', 'recommend_service', 'sku_lookup', 'out_of_scope', 'thanks', 'help'].includes(u.top) || u.confidence < ASK_BELOW || (!answering && u.confidence < 0.8 && u.match.ranked[1]?.intent === 'human_handoff'));
      return asked || distracted ? { kind: 'handoff', confidence: u.confidence } : undefined;
    },
  },
  {
    name: 'restart',
    why: 'leaving always works, but an answer wins over a look-alike command ("止められない" is not "stop")',
    when: ({ u }) => {
      const wants = (u.top === 'restart' && u.confidence >= ASK_BELOW) || u.acts.includes('restart');
      return wants && factCount(u, true) === 0 ? { kind: 'restart', confidence: u.confidence } : undefined;
    },
  },
  {
    name: 'failed_without_contract',
    why: 'maintenance must be joined before a failure, so "can I join now? it already failed" gets the honest no and the call center',
    when: ({ state, u }) => {
      // The failure told in an earlier turn, and now "can I still join?" (not for a new unit).
      const joinsAfterFailure = state.failed === true && !u.acts.includes('has_contract') && u.stated.timing !== 'new_purchase' && u.confidence >= ASK_BELOW && JOIN_NOW.has(u.top);
      if (joinsAfterFailure) return { kind: 'failed_unit' };
      // The failure told before, and now the contract it is under (「年間保守に入ってます」): a support case.
      if (state.failed === true && u.acts.includes('has_contract') && !u.acts.includes('failure')) return { kind: 'faq', intent: 'failure_support', confidence: Math.max(u.confidence, 0.5), pause: inDialog(state) };
      if (!u.acts.includes('failure')) return undefined;
      // The answer to "can the system stop?" speaks of a failure to come ("it can sit dead for a day").
      if (state.phase.kind === 'asking' && state.phase.slot === 'downtime' && u.stated.downtime !== undefined) return undefined;
      // Under a contract a failure is a support case, whatever the words about joining suggest.
      if (u.acts.includes('has_contract')) return ENROLLMENT.has(u.top) ? { kind: 'faq', intent: 'failure_support', confidence: Math.max(u.confidence, 0.5), pause: inDialog(state) } : undefined;
      // (A failure report that reads like a SKU lookup — "SMT2200J died, no contract, what can we
      // do now?" — wants a service for the failed unit: never its SKU list.)
      const joining = ENROLLMENT.has(u.top) || u.top === 'sku_lookup' || u.acts.includes('consult') || (inDialog(state) && (u.stated.timing ?? state.slots.timing) === 'owned');
      if (joining) return { kind: 'failed_unit' };
      // A failure the classifier could not place is still a failure: its answer and the call center.
      // (Not another device's failure — 「サーバーのHDDが故障した」 — and only with the failure answer in the running.)
      const runnerUp = u.match.ranked.slice(0, 2).some((r) => r.intent === 'failure_support');
      const unplaced = !u.acts.includes('outside') && (u.top === undefined || (u.confidence < 0.6 && runnerUp));
      return unplaced ? { kind: 'faq', intent: 'failure_support', confidence: Math.max(u.confidence, 0.5), pause: inDialog(state) } : undefined;
    },
  },
  {
    name: 'outside_the_domain',
    why: 'sizing, settings, other vendors and other batteries look like the domain but are not: the honest "I cannot help", never a loosely related FAQ',
    when: ({ u }) => {
      // (Trade-UPS takes in used units of other makers: naming one there is in scope.)
      const near = u.acts.includes('outside') && !u.acts.includes('consult') && u.top !== 'human_handoff' && u.top !== 'contact' && u.top !== 'trade_ups';
      // "How much is an SMT1500J?" asks the UPS's price, which the bot does not know either.
      // Only a confident reading without the situation: a long message about the unit is not a price question.
      const hardwarePrice = u.top === 'pricing' && u.confidence >= ASK_BELOW && factCount(u, true) === 0 && u.models.length > 0 && u.skus.length === 0 && !u.acts.includes('service');
      return near || hardwarePrice ? { kind: 'out_of_scope' } : undefined;
    },
  },
  {
    name: 'near_miss_confirmed',
    why: 'the same "did you mean" is never asked twice: a model confirmed as meant is not in the tables',
    when: ({ state, u }) => {
      const asked = state.nearMiss;
      if (!asked) return undefined;
      const again = u.models.find((m) => (m.kind === 'near_miss' || m.kind === 'unknown') && modelKey(m.input) === modelKey(asked.input));
      if (again) return { kind: 'near_miss_confirmed', input: asked.input };
      if (u.models.length === 0 && u.acts.includes('deny') && !u.acts.includes('affirm')) return { kind: 'near_miss_confirmed', input: asked.input };
      return undefined;
    },
  },
  {
    name: 'near_miss_accepted',
    why: '"yes" to "did you mean X?" means X',
    when: ({ state, u, lookup }) => {
      const asked = state.nearMiss;
      if (!asked || u.models.length > 0 || !u.acts.includes('affirm') || asked.suggestions.length !== 1) return undefined;
      const found = lookup(asked.suggestions[0]!);
      return inDialog(state) ? { kind: 'fill', base: 'dialog', stated: u.stated, model: found, confidence: 1 } : { kind: 'model_answer', found, purpose: 'sku_lookup', confidence: 1 };
    },
  },
  {
    name: 'pack_for_owned_unit',
    why: 'packs and bundled models are sold only with a new UPS: "can I add one to my unit?" is answered no, with the way that works',
    when: ({ state, u }) => {
      const owned = (u.stated.timing ?? state.slots.timing) === 'owned';
      return owned && u.acts.includes('pack') && u.acts.includes('add_later') && !inDialog(state) ? { kind: 'pack_for_owned_unit', confidence: Math.max(u.confidence, 0.5) } : undefined;
    },
  },
  {
    name: 'dialog_answer',
    why: 'while the dialog is open, any facts answer it, in any order and before their question',
    when: ({ state, u }) => (inDialog(state) && hasFacts(u) ? fill('dialog', u) : undefined),
  },
  {
    name: 'correction_after_recommendation',
    why: 'a changed answer after the recommendation recommends again and says what changed',
    when: ({ state, u }) => {
      if (!state.concluded || inDialog(state) || !hasFacts(u)) return undefined;
      // "Can we get 3 years?" asks for the change; "what is the difference of 1 and 3 years?" does not.
      const question = u.acts.includes('question') && !u.acts.includes('request');
      // A statement of a new value is a correction; a question that mentions one is asked as a question.
      if (changes(state.concluded, u)) {
        const aside = confident(u) && !DIALOG_ADJACENT.has(u.top) && !u.acts.includes('correction') && question;
        return aside ? undefined : fill('concluded', u);
      }
      // The same facts told again ("1 year, please", 「わかりました、1年で」): the same
      // recommendation, not a stray FAQ or a "you're welcome".
      // So is a wish that restates the situation in the words of a level (「24時間365日で4時間以内に来てくれるやつ」).
      // (「期間は1年で大丈夫です」 reads like the warranty-length question to the classifier.)
      const restates = DIALOG_ADJACENT.has(u.top) || (u.top === 'warranty_period' && u.stated.years !== undefined);
      return !question && (!confident(u) || u.top === 'thanks' || u.top === 'greeting' || restates) ? fill('concluded', u) : undefined;
    },
  },
  {
    name: 'dialog_start',
    why: 'a request for advice, or a message describing the situation, starts the dialog with every fact it carries',
    when: ({ state, u }) => {
      const n = factCount(u);
      // Facts told in earlier turns count too: "every fact in every message counts".
      const heard = n === 0 ? 0 : new Set([...u.facts.map((f) => f.slot), ...(u.models.length > 0 ? ['model'] : []), ...Object.keys(state.slots)]).size;
      const question = u.acts.includes('question');
      const asks = u.top === 'recommend_service' && (u.confidence >= ASK_BELOW || (u.confidence >= OUT_OF_SCOPE_BELOW && n > 0));
      const aside = isAside(u);
      const unsure = u.top === undefined || u.top === 'out_of_scope' || u.confidence < ASK_BELOW;
      // A model with the situation and no question (「SRT2400XLJ 既設」) asks for a service, not for the whole SKU list.
      const known = u.models.some((m) => m.kind === 'known');
      // A statement about the unit, not a question and not a request for the SKU list.
      const states = !question && !u.acts.includes('asks_sku');
      // (A failure answer without any failure in the words is the classifier's guess: 「BR400S-JP, 20 units in our shops already」.)
      const guessedFailure = u.top === 'failure_support' && !u.acts.includes('failure');
      const situated = (u.top === 'sku_lookup' || u.confidence < 0.6 || guessedFailure) && known && heard >= 2 && states;
      // 「SMT2200Jの保守」, "SMT1500J maintenance": a service for that model, not its SKU list (「…の保守型番」 is).
      const serviceFor = (u.top === 'sku_lookup' || u.top === 'recommend_service' || u.confidence < ASK_BELOW) && known && u.acts.includes('service') && states && factCount(u) === 1;
      // The whole situation and "which SKU?" (「…停止は許容できない…3年のサービスパックの型番を
      // ご教示ください」): the recommendation names the one SKU, the list would name them all.
      // (Only with the situation itself — a stop, who can swap — not a level and a length, which
      // name the SKU wanted: 「SMT1500Jに付ける翌営業日オンサイト1年の型番は？」 gets the list.)
      const sized = u.top === 'sku_lookup' && known && heard >= 3 && u.facts.some((f) => f.slot === 'downtime' || f.slot === 'self_service');
      // (An unsure aside reading, e.g. 'trade_ups' 0.49 for "SRT5KXLJ, new purchase", does not stop it.)
      const describes = (!aside && ((DIALOG_ADJACENT.has(u.top) && heard >= 2 && !question) || heard >= 3 || (n >= 1 && !question && unsure))) || situated || serviceFor || sized;
      // "…の保守を延長したい", "どれがいい？": wanting a service, with the situation described —
      // or without it, when the reading has nothing better ("Hi, I need help picking maintenance").
      const wants =
        !aside &&
        u.acts.includes('consult') &&
        ((n >= 1 && (!u.acts.includes('question') || u.top === 'recommend_service')) || (n === 0 && unsure && u.acts.includes('service') && !u.acts.includes('question') && !u.acts.includes('outside')));
      return asks || describes || wants ? fill('fresh', u, u.top === 'recommend_service' ? u.confidence : 1) : undefined;
    },
  },
  {
    name: 'faq_during_dialog',
    why: 'a question in the middle is answered, then the dialog is offered again',
    when: ({ state, u }) => (inDialog(state) && confident(u) && u.top !== 'recommend_service' && u.top !== 'out_of_scope' ? { kind: 'faq', intent: u.top!, confidence: u.confidence, pause: true } : undefined),
  },
  {
    name: 'resume_or_stop',
    why: 'after an FAQ, yes goes back to the open question and no leaves the dialog',
    when: ({ state, u }) => {
      if (state.phase.kind !== 'paused') return undefined;
      if (u.acts.includes('affirm') && !u.acts.includes('deny')) return { kind: 'resume' };
      if (u.acts.includes('deny')) return { kind: 'stop_dialog' };
      return undefined;
    },
  },
  {
    name: 'unreadable_answer',
    why: 'an open question with nothing usable in the reply: ask again with the choices (the second miss brings the call center)',
    when: ({ state }) => (inDialog(state) ? { kind: 'not_understood' } : undefined),
  },
  {
    name: 'awaited_model',
    why: 'the model number asked for a SKU lookup or a suffix decode',
    when: ({ state, u }) => {
      if (state.phase.kind !== 'awaiting_model') return undefined;
      const model = u.models[0];
      if (model) return { kind: 'model_answer', found: model, purpose: state.phase.purpose, confidence: 1 };
      if (u.stated.model?.kind === 'unknown') return { kind: 'handoff', confidence: 1 };
      return undefined;
    },
  },
  {
    name: 'sku_pasted',
    why: 'a pasted service SKU (and no model number) is a question about that SKU',
    when: ({ state, u }) => {
      const token = u.skus[0]?.token;
      const asks = u.top === undefined || u.confidence < OUT_OF_SCOPE_BELOW || SKU_QUESTION.has(u.top);
      return token && u.models.length === 0 && asks && (state.phase.kind === 'idle' || state.phase.kind === 'awaiting_model') ? { kind: 'sku_info', token, confidence: Math.max(u.confidence, 0.5) } : undefined;
    },
  },
  {
    name: 'bundled_model_named',
    why: 'a model with built-in maintenance named in a question about packs or coverage is answered by what it includes',
    when: ({ state, u }) => {
      const bundled = u.models.find((m) => m.kind === 'bundled');
      if (bundled === undefined || inDialog(state)) return undefined;
      const about = u.top === undefined || u.confidence < ASK_BELOW || BUNDLED_TOPICS.has(u.top);
      return about ? { kind: 'model_answer', found: bundled, purpose: 'bundled_model_decode', confidence: Math.max(u.confidence, 0.5) } : undefined;
    },
  },
  {
    name: 'bare_model',
    why: 'a model number on its own asks which SKUs fit it',
    when: ({ u }) => (u.bareModel ? { kind: 'model_answer', found: u.models[0]!, purpose: 'sku_lookup', confidence: 1 } : undefined),
  },
  {
    name: 'unknown_model_named',
    why: 'a model in no table named in a question about its maintenance gets the honest "not in my tables" and the call center, not a general answer that suggests it is covered',
    when: ({ state, u }) => {
      // Only what reads as a model number ("SRT10KXLJ", "BX1200M"), not a count ("UPS20台").
      const unknown = u.models.find((m) => m.kind === 'unknown' && LOOKS_LIKE_A_MODEL.test(m.input.toUpperCase().replace(/[\s-]/g, '')));
      if (unknown === undefined || inDialog(state) || u.models.some((m) => m.kind !== 'unknown')) return undefined;
      const about = u.top === undefined || u.confidence < ASK_BELOW || MODEL_TOPICS.has(u.top);
      return about ? { kind: 'model_answer', found: unknown, purpose: 'sku_lookup', confidence: Math.max(u.confidence, 0.5) } : undefined;
    },
  },
  {
    name: 'out_of_scope',
    why: 'nothing in scope matched: say so, with the menu and the call center (a model number alone still gets its SKUs)',
    when: ({ u }) => {
      if (u.top !== undefined && u.top !== 'out_of_scope' && u.confidence >= OUT_OF_SCOPE_BELOW) return undefined;
      const model = u.models[0];
      return model && model.kind !== 'unknown' ? { kind: 'model_answer', found: model, purpose: 'sku_lookup', confidence: 0.5 } : { kind: 'out_of_scope' };
    },
  },
  {
    name: 'uncertain',
    why: 'between the thresholds the best candidates are offered instead of a guess',
    when: ({ u }) => (u.confidence < ASK_BELOW && u.models.length === 0 ? { kind: 'did_you_mean' } : undefined),
  },
  {
    name: 'faq',
    why: 'otherwise the intent is answered as asked',
    when: ({ u }) => ({ kind: 'faq', intent: u.top!, confidence: u.confidence, pause: false }),
  },
];

export function decide(input: Input): { rule: string; action: Action } {
  for (const rule of RULES) {
    const action = rule.when(input);
    if (action !== undefined) return { rule: rule.name, action };
  }
  return { rule: 'out_of_scope', action: { kind: 'out_of_scope' } };
}

