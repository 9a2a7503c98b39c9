// Turn routing: what a choice or a text means in the conversation's current phase, and which
// reply answers it. Pure over (knowledge, state, input): store, ordering and logging live in
// conversation.ts.
import type { KnowledgeBase } from './knowledge/load.ts';
import type { Matcher, MatchResult } from './nlu/matcher.ts';
import { extractSlotValues, mentionsFailure, saysModelUnknown, saysNo, saysYes, type SlotValues } from './nlu/entities.ts';
import { applyGuards, isBareModel, round3 } from './nlu/guards.ts';
import { ChoiceMatcher } from './nlu/choice-matcher.ts';
import { ReplySchema, type Choice, type IntentId, type Reply } from './reply.ts';
import { extractSkuTokens, type ModelIndex, type ModelLookup } from './sku/model.ts';
import { describeSku } from './sku/reverse.ts';
import { initialState, SLOT_NAMES, type ConversationState, type ModelSlot, type SlotName, type Slots } from './dialog/state.ts';
import { nextSlot, settle, type DialogContext } from './dialog/machine.ts';
import { candidateIntents, contactLink, emptyReply, handoffField, handoffText, intentChoice, menuChoices, t, toLinks, type ReplyContext } from './respond/context.ts';
import { questionReply, recommendationReply, slotValueLabel, summarize } from './respond/recommend.ts';
import { decodeReply, nearMissReply, plainModelDecodeReply, skuInfoReply, skuListReply, unknownModelReply } from './respond/sku.ts';

/** Below this calibrated confidence nothing is claimed: out_of_scope. */
export const OUT_OF_SCOPE_BELOW = 0.2;
/** Between the two: offer the best candidates ("did you mean…?") instead of guessing. */
export const ASK_BELOW = 0.45;

/** With a pasted SKU, these mean "what is this SKU?"; any other intent is answered as asked. */
const SKU_QUESTION_INTENTS = new Set<IntentId>(['sku_lookup', 'bundled_model_decode', 'out_of_scope', 'help', 'greeting', 'thanks']);

export type Ctx = ReplyContext & DialogContext;
export type Step = { replies: Reply[]; state: ConversationState };

export interface RouterDeps {
  kb: KnowledgeBase;
  matcher: Matcher;
  models: ModelIndex;
}

export interface Router {
  onChoice(ctx: Ctx, state: ConversationState, choice: string): Step;
  onText(ctx: Ctx, state: ConversationState, text: string): Step;
  welcome(ctx: Ctx): Reply;
  failure(ctx: Ctx, key: 'store_unavailable' | 'internal_error'): Reply;
}

export function createRouter({ kb, matcher, models }: RouterDeps): Router {
  /** Intents whose answer carries the call-center box (answers.yaml `handoff: true`). */
  const withHandoff = new Set(Object.entries(kb.answers).flatMap(([id, a]) => (a.handoff ? [id] : [])));

  function welcome(ctx: Ctx): Reply {
    const reply = emptyReply(kb.answers.greeting![ctx.lang], 'greeting', 1);
    reply.choices = menuChoices(ctx);
    reply.handoff = handoffField(ctx);
    return reply;
  }

  function failure(ctx: Ctx, key: 'store_unavailable' | 'internal_error'): Reply {
    const reply = emptyReply(t(ctx, key), 'human_handoff', 1);
    reply.handoff = handoffField(ctx);
    reply.text = [reply.text, '', handoffText(ctx, reply.handoff, null)].join('\n');
    reply.links = contactLink(ctx, 'help_center');
    return ReplySchema.parse(reply);
  }

  // ---- choices ------------------------------------------------------------------------

  function onChoice(ctx: Ctx, state: ConversationState, choice: string): Step {
    const [kind, ...rest] = choice.split(':');
    const value = rest.join(':');
    const offered = state.offered.some((c) => c.id === choice);
    const menuIntent = kind === 'intent' && (kb.menu.some((m) => m.intent === value) || ['restart', 'help', 'human_handoff', 'recommend_service'].includes(value));
    if (!offered && !menuIntent) return invalidChoice(ctx, state);

    if (kind === 'intent') return routeIntent(ctx, state, value as IntentId, 1, '');
    if (kind === 'continue') {
      if (state.phase.kind !== 'paused') return invalidChoice(ctx, state);
      if (value === 'yes') return ask(ctx, { ...state, phase: { kind: 'idle' } }, state.slots);
      return { replies: [emptyReply(t(ctx, 'dialog_stopped'), 'recommend_service', 1)], state: { ...state, phase: { kind: 'idle' }, slots: {} } };
    }
    if (kind === 'model') {
      const slot: ModelSlot = value === 'unknown' ? { kind: 'unknown', input: null } : toModelSlot(models.lookup(value));
      if (state.phase.kind === 'asking' || state.phase.kind === 'paused') return ask(ctx, state, { ...state.slots, model: slot }, []);
      const purpose = state.phase.kind === 'awaiting_model' ? state.phase.purpose : 'sku_lookup';
      return modelAnswer(ctx, { ...state, phase: { kind: 'idle' } }, models.lookup(value), purpose, 1);
    }
    if ((SLOT_NAMES as readonly string[]).includes(kind!)) {
      const slots = applyValue(state.slots, kind as SlotName, value);
      return ask(ctx, state, slots, []);
    }
    return invalidChoice(ctx, state);
  }

  function invalidChoice(ctx: Ctx, state: ConversationState): Step {
    const reply = emptyReply(t(ctx, 'invalid_choice'), 'help', 1);
    reply.choices = state.offered.length > 0 ? state.offered : menuChoices(ctx);
    return { replies: [reply], state };
  }

  // ---- text ---------------------------------------------------------------------------

  function onText(ctx: Ctx, state: ConversationState, text: string): Step {
    const phase = state.phase;
    const typedChoice = new ChoiceMatcher(state.offered).match(text);
    if (typedChoice !== undefined) return onChoice(ctx, state, typedChoice);

    const tokens = models.extract(text);
    const match = applyGuards(matcher.match(text), text, tokens.map((tk) => models.lookup(tk)));
    const top = match.ranked[0];

    if (phase.kind === 'asking' || phase.kind === 'paused') {
      const answered = readAnswers(text, phase.slot, state.slots, tokens);
      const confidentElsewhere = top !== undefined && match.confidence >= ASK_BELOW && top.intent !== 'recommend_service' && top.intent !== 'out_of_scope';
      const answeredSomething = Object.keys(answered.values).length > 0 || answered.model !== undefined;
      // An answer wins over a look-alike command: "it can't stop" answers the downtime question.
      if (!answeredSomething && top?.intent === 'restart' && match.confidence >= ASK_BELOW) return routeIntent(ctx, state, 'restart', match.confidence, text);
      if (answeredSomething) {
        if (answered.model?.kind === 'near_miss') {
          return { replies: [withChoices(nearMissReply(ctx, answered.model, 'recommend_service', 1), [{ id: 'model:unknown', label: t(ctx, 'choice_model_unknown') }])], state: { ...state, phase: { kind: 'asking', slot: 'model' } } };
        }
        const changed = Object.keys(answered.values).filter((k) => k !== phase.slot && state.slots[k as SlotName] !== undefined);
        let slots: Slots = { ...state.slots, ...answered.values };
        if (answered.model !== undefined) slots.model = toModelSlot(answered.model);
        if (owningFailedUnit(slots, text)) return failedOwned(ctx, state, slots);
        const prefix = changed.map((k) => t(ctx, 'answer_changed', { value: slotValueLabel(ctx, k as SlotName, slots) ?? '' }));
        return ask(ctx, state, slots, prefix);
      }
      if (confidentElsewhere && !(top!.intent === 'sku_lookup' && phase.slot === 'model')) {
        const faq = routeIntent(ctx, { ...state, phase: { kind: 'idle' } }, top!.intent, match.confidence, text);
        if (faq.state.phase.kind !== 'idle' || top!.intent === 'recommend_service') return faq;
        const reply = faq.replies.at(-1)!;
        const paused: ConversationState = { ...faq.state, phase: { kind: 'paused', slot: phase.slot }, slots: state.slots };
        const withPrompt: Reply = {
          ...reply,
          text: `${reply.text}\n\n${t(ctx, 'continue_prompt')}`,
          choices: [{ id: 'continue:yes', label: t(ctx, 'choice_continue_yes') }, { id: 'continue:no', label: t(ctx, 'choice_continue_no') }],
        };
        return { replies: [...faq.replies.slice(0, -1), withPrompt], state: paused };
      }
      if (phase.kind === 'paused' && saysYes(text)) return ask(ctx, { ...state, phase: { kind: 'idle' } }, state.slots);
      if (phase.kind === 'paused' && saysNo(text)) return onChoice(ctx, { ...state, offered: [{ id: 'continue:no', label: '' }] }, 'continue:no');
      const reply = questionReply(ctx, phase.slot, state.slots, [t(ctx, 'not_understood_slot')]);
      return miss(ctx, state, reply);
    }

    if (phase.kind === 'awaiting_model') {
      if (tokens.length > 0) return modelAnswer(ctx, { ...state, phase: { kind: 'idle' } }, models.lookup(tokens[0]!), phase.purpose, 1);
      if (saysModelUnknown(text)) return routeIntent(ctx, { ...state, phase: { kind: 'idle' } }, 'human_handoff', 1, text);
    }

    // A pasted service SKU (and no model number): say what it is and which models it fits.
    const skuTokens = extractSkuTokens(text);
    const asksAboutSku = top === undefined || match.confidence < OUT_OF_SCOPE_BELOW || SKU_QUESTION_INTENTS.has(top.intent);
    if (skuTokens.length > 0 && tokens.length === 0 && asksAboutSku && (phase.kind === 'idle' || phase.kind === 'awaiting_model')) {
      return { replies: [skuInfoReply(ctx, describeSku(kb, skuTokens[0]!), Math.max(match.confidence, 0.5))], state: { ...state, phase: { kind: 'idle' }, misses: 0 } };
    }
    if (tokens.length > 0 && isBareModel(text)) return modelAnswer(ctx, { ...state, phase: { kind: 'idle' } }, models.lookup(tokens[0]!), 'sku_lookup', 1);
    if (top === undefined || top.intent === 'out_of_scope' || match.confidence < OUT_OF_SCOPE_BELOW) {
      // A bare model number is a question about that model.
      if (tokens.length > 0) return modelAnswer(ctx, { ...state, phase: { kind: 'idle' } }, models.lookup(tokens[0]!), 'sku_lookup', 0.5);
      return outOfScope(ctx, state, match);
    }
    if (match.confidence < ASK_BELOW && tokens.length === 0) return didYouMean(ctx, state, match);
    return routeIntent(ctx, { ...state, phase: { kind: 'idle' } }, top.intent, match.confidence, text);
  }

  function readAnswers(text: string, asking: SlotName, slots: Slots, tokens: string[]): { values: SlotValues; model?: ModelLookup } {
    const values = extractSlotValues(text, asking === 'model' ? undefined : (asking as keyof SlotValues));
    // A bare yes/no answers the question being asked.
    if (values[asking as keyof SlotValues] === undefined) {
      const yes = saysYes(text);
      const no = saysNo(text);
      if (asking === 'self_service' || asking === 'response_24x7') {
        if (yes) values[asking] = 'yes';
        else if (no) values[asking] = 'no';
      } else if (asking === 'downtime') {
        if (yes) values.downtime = 'tolerable';
        else if (no) values.downtime = 'minimize';
      }
    }
    // Only offered year lengths count as an answer.
    if (values.years !== undefined && asking !== 'years' && slots.years === undefined) delete values.years;
    let model: ModelLookup | undefined;
    if (tokens.length > 0) model = models.lookup(tokens[0]!);
    else if (asking === 'model' && saysModelUnknown(text)) model = { kind: 'unknown', input: '' };
    return { values, model };
  }

  function owningFailedUnit(slots: Slots, text: string): boolean {
    return slots.timing === 'owned' && mentionsFailure(text);
  }

  function failedOwned(ctx: Ctx, state: ConversationState, slots: Slots): Step {
    const handoff = handoffField(ctx);
    const reply = emptyReply([t(ctx, 'failed_owned'), '', handoffText(ctx, handoff, summarize(ctx, slots))].join('\n'), 'failure_support', 1);
    reply.handoff = handoff;
    reply.links = contactLink(ctx, 'help_center');
    reply.choices = [intentChoice(ctx, 'restart'), intentChoice(ctx, 'help')];
    return { replies: [reply], state: { ...state, phase: { kind: 'idle' }, slots: {}, misses: 0 } };
  }

  // ---- dialog -------------------------------------------------------------------------

  function ask(ctx: Ctx, state: ConversationState, rawSlots: Slots, prefix: string[] = []): Step {
    const slots = settle(ctx, rawSlots);
    const lastModel = slots.model && slots.model.kind !== 'unknown' ? slots.model : state.lastModel;
    const slot = nextSlot(ctx, slots);
    if (slot !== undefined) {
      return { replies: [questionReply(ctx, slot, slots, prefix)], state: { ...state, phase: { kind: 'asking', slot }, slots, misses: 0, lastModel } };
    }
    const reply = recommendationReply(ctx, slots, 1);
    if (prefix.length > 0) reply.text = `${prefix.join('\n')}\n${reply.text}`;
    return { replies: [reply], state: { ...state, phase: { kind: 'idle' }, slots: {}, misses: 0, lastModel } };
  }

  function startDialog(ctx: Ctx, state: ConversationState, text: string, confidence: number): Step {
    const values = extractSlotValues(text);
    const slots: Slots = { ...values };
    const tokens = models.extract(text);
    if (tokens.length > 0) {
      const found = models.lookup(tokens[0]!);
      if (found.kind === 'near_miss') {
        const reply = nearMissReply(ctx, found, 'recommend_service', confidence);
        reply.choices.push({ id: 'model:unknown', label: t(ctx, 'choice_model_unknown') });
        const { model: _drop, ...rest } = slots;
        return { replies: [reply], state: { ...state, phase: { kind: 'asking', slot: 'model' }, slots: rest } };
      }
      slots.model = toModelSlot(found);
    } else if (state.lastModel) {
      slots.model = state.lastModel;
    }
    if (owningFailedUnit(slots, text)) return failedOwned(ctx, state, slots);
    const step = ask(ctx, state, slots, [kb.answers.recommend_service![ctx.lang]]);
    for (const r of step.replies) r.confidence = confidence;
    return step;
  }

  // ---- intents ------------------------------------------------------------------------

  function routeIntent(ctx: Ctx, state: ConversationState, intent: IntentId, confidence: number, text: string): Step {
    const idle: ConversationState = { ...state, phase: { kind: 'idle' }, misses: 0 };
    const tokens = text ? models.extract(text) : [];
    switch (intent) {
      case 'recommend_service':
        return startDialog(ctx, idle, text, confidence);
      case 'restart': {
        const reply = answerReply(ctx, 'restart', confidence);
        reply.choices = menuChoices(ctx);
        return { replies: [reply], state: { ...initialState(ctx.lang) } };
      }
      case 'sku_lookup':
      case 'bundled_model_decode': {
        if (tokens.length > 0) return modelAnswer(ctx, idle, models.lookup(tokens[0]!), intent, confidence);
        if (intent === 'sku_lookup' && state.lastModel && state.lastModel.kind !== 'unknown') {
          return modelAnswer(ctx, idle, models.lookup(state.lastModel.printed), intent, confidence);
        }
        const reply = answerReply(ctx, intent, confidence);
        if (intent === 'sku_lookup') reply.text = t(ctx, 'ask_sku_model');
        return { replies: [reply], state: { ...idle, phase: { kind: 'awaiting_model', purpose: intent } } };
      }
      case 'out_of_scope':
        return outOfScope(ctx, state, null);
      default: {
        const reply = answerReply(ctx, intent, confidence);
        if (intent === 'help' || intent === 'greeting') reply.choices = menuChoices(ctx);
        else if (!reply.handoff) reply.choices = [intentChoice(ctx, 'recommend_service'), intentChoice(ctx, 'help')];
        else reply.choices = [intentChoice(ctx, 'help')];
        if (reply.handoff && ['human_handoff', 'failure_support', 'contact'].includes(intent)) {
          reply.text = [reply.text, '', handoffText(ctx, reply.handoff, summarize(ctx, state.slots) ?? modelSummary(ctx, state))].join('\n');
        } else if (reply.handoff) {
          reply.text = [reply.text, '', handoffText(ctx, reply.handoff, null)].join('\n');
        }
        return { replies: [reply], state: idle };
      }
    }
  }

  function modelSummary(ctx: Ctx, state: ConversationState): string | null {
    const m = state.lastModel;
    return m && m.kind !== 'unknown' ? t(ctx, 'summary_model', { value: m.printed }) : null;
  }

  function answerReply(ctx: Ctx, intent: IntentId, confidence: number): Reply {
    const answer = kb.answers[intent]!;
    const reply = emptyReply(answer[ctx.lang], intent === 'out_of_scope' ? null : intent, confidence);
    reply.links = toLinks(ctx, answer.links);
    if (withHandoff.has(intent)) reply.handoff = handoffField(ctx);
    return reply;
  }

  function modelAnswer(ctx: Ctx, state: ConversationState, found: ModelLookup, purpose: 'sku_lookup' | 'bundled_model_decode', confidence: number): Step {
    switch (found.kind) {
      case 'known': {
        const lastModel: ModelSlot = { kind: 'known', printed: found.model.printed };
        const reply = purpose === 'sku_lookup' ? skuListReply(ctx, found.model, confidence) : plainModelDecodeReply(ctx, found.model, confidence);
        return { replies: [reply], state: { ...state, lastModel, misses: 0 } };
      }
      case 'bundled': {
        const lastModel = toModelSlot(found);
        return { replies: [decodeReply(ctx, found, confidence)], state: { ...state, lastModel, misses: 0 } };
      }
      case 'near_miss':
        return { replies: [nearMissReply(ctx, found, purpose, confidence)], state: { ...state, phase: { kind: 'awaiting_model', purpose } } };
      case 'unknown': {
        const reply = unknownModelReply(ctx, found.input, purpose, confidence, null);
        return { replies: [reply], state: { ...state, misses: 0 } };
      }
    }
  }

  function outOfScope(ctx: Ctx, state: ConversationState, match: MatchResult | null): Step {
    const reply = answerReply(ctx, 'out_of_scope', match ? round3(Math.max(0, 1 - match.confidence)) : 1);
    reply.intent = null;
    reply.handoff = handoffField(ctx);
    reply.text = [reply.text, '', handoffText(ctx, reply.handoff, null)].join('\n');
    reply.choices = menuChoices(ctx);
    return { replies: [reply], state: { ...state, phase: { kind: 'idle' }, misses: state.misses + 1 } };
  }

  function didYouMean(ctx: Ctx, state: ConversationState, match: MatchResult): Step {
    const candidates = candidateIntents(match.ranked);
    if (candidates.length === 0) return outOfScope(ctx, state, match);
    const reply = emptyReply(t(ctx, 'did_you_mean'), candidates[0]!, match.confidence);
    reply.choices = candidates.map((intent) => intentChoice(ctx, intent));
    return miss(ctx, state, reply);
  }

  /** A turn the bot could not settle; the second in a row brings the call center. */
  function miss(ctx: Ctx, state: ConversationState, reply: Reply): Step {
    const misses = state.misses + 1;
    if (misses >= 2 && reply.handoff === null) {
      reply.handoff = handoffField(ctx);
      reply.text = [reply.text, '', t(ctx, 'handoff_after_failures'), handoffText(ctx, reply.handoff, summarize(ctx, state.slots))].join('\n');
      if (!reply.choices.some((c) => c.id === 'intent:human_handoff')) reply.choices = [...reply.choices, intentChoice(ctx, 'human_handoff')];
    }
    return { replies: [reply], state: { ...state, misses } };
  }

  return { onChoice, onText, welcome, failure };
}

function withChoices(reply: Reply, extra: Choice[]): Reply {
  return { ...reply, choices: [...reply.choices, ...extra] };
}

function applyValue(slots: Slots, slot: SlotName, value: string): Slots {
  if (slot === 'years') return { ...slots, years: Number(value) };
  return { ...slots, [slot]: value } as Slots;
}

function toModelSlot(found: ModelLookup): ModelSlot {
  switch (found.kind) {
    case 'known':
      return { kind: 'known', printed: found.model.printed };
    case 'bundled':
      return { kind: 'bundled', printed: found.printed, base: found.base.printed, level: found.suffix.level, years: found.suffix.years };
    case 'near_miss':
    case 'unknown':
      return { kind: 'unknown', input: found.input || null };
  }
}

