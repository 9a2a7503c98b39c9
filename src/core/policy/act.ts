// Applies the policy's action: the new conversation state and the replies (rendered by
// respond/). Pure over (knowledge, state, understanding, action).
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { IntentId, Reply } from '../reply.ts';
import { ReplySchema } from '../reply.ts';
import type { ModelIndex, ModelLookup } from '../sku/model.ts';
import { initialState, type ConversationState, type ModelSlot, type Slots } from '../dialog/state.ts';
import { nextSlot, settle, yearOptions, type DialogContext } from '../dialog/machine.ts';
import { SLOT_NAMES, type SlotName } from '../dialog/slots.ts';
import { candidateIntents, contactLink, emptyReply, handoffField, handoffText, intentChoice, menuChoices, t, toLinks, type ReplyContext } from '../respond/context.ts';
import { questionReply, recommendationReply, slotValueLabel, summarize } from '../respond/recommend.ts';
import { decodeReply, nearMissReply, plainModelDecodeReply, skuInfoReply, skuListReply, unknownModelReply } from '../respond/sku.ts';
import { describeSku } from '../sku/reverse.ts';
import { round3 } from '../nlu/guards.ts';
import type { TurnUnderstanding } from '../understand/understand.ts';
import type { Action } from './rules.ts';

export type Ctx = ReplyContext & DialogContext;
export type Step = { replies: Reply[]; state: ConversationState };

export interface Actor {
  apply(ctx: Ctx, state: ConversationState, u: TurnUnderstanding, action: Action): Step;
  welcome(ctx: Ctx): Reply;
  failure(ctx: Ctx, key: 'store_unavailable' | 'internal_error'): Reply;
}

export function toModelSlot(found: ModelLookup): ModelSlot {
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

export function createActor({ kb, models }: { kb: KnowledgeBase; models: ModelIndex }): Actor {
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

  const idle = (state: ConversationState): ConversationState => ({ ...state, phase: { kind: 'idle' }, misses: 0, nearMiss: null });

  function answerReply(ctx: Ctx, intent: IntentId, confidence: number): Reply {
    const answer = kb.answers[intent]!;
    const reply = emptyReply(answer[ctx.lang], intent === 'out_of_scope' ? null : intent, confidence);
    reply.links = toLinks(ctx, answer.links);
    if (withHandoff.has(intent)) reply.handoff = handoffField(ctx);
    return reply;
  }

  /** What the user has told so far, this turn included: read out or pasted to the call center. */
  function summaryOf(ctx: Ctx, state: ConversationState, u: TurnUnderstanding): string | null {
    const model = u.models.at(-1);
    const slots: Slots = { ...(state.concluded ?? {}), ...state.slots, ...u.stated, ...(model ? { model: toModelSlot(model) } : {}) };
    return summarize(ctx, slots) ?? modelSummary(ctx, state);
  }

  function handoffReply(ctx: Ctx, state: ConversationState, u: TurnUnderstanding, intent: IntentId, confidence: number, lead?: string): Reply {
    const reply = answerReply(ctx, intent, confidence);
    if (lead !== undefined) reply.text = lead;
    reply.handoff = handoffField(ctx);
    reply.links = reply.links.length > 0 ? reply.links : contactLink(ctx, 'help_center');
    reply.text = [reply.text, '', handoffText(ctx, reply.handoff, summaryOf(ctx, state, u))].join('\n');
    reply.choices = [intentChoice(ctx, 'restart'), intentChoice(ctx, 'help')];
    return reply;
  }

  function modelSummary(ctx: Ctx, state: ConversationState): string | null {
    const m = state.lastModel;
    return m && m.kind !== 'unknown' ? t(ctx, 'summary_model', { value: m.printed }) : null;
  }

  // ---- the guided dialog ------------------------------------------------------------

  /** Merges what the turn states into `from`, then asks the next question or concludes. */
  function fill(ctx: Ctx, state: ConversationState, from: Slots, stated: Slots, model: ModelLookup | undefined, confidence: number, intro: string[]): Step {
    const changed: SlotName[] = [];
    const merged: Slots = { ...from };
    for (const [slot, value] of Object.entries(stated) as [keyof Slots, unknown][]) {
      if (from[slot] !== undefined && JSON.stringify(from[slot]) !== JSON.stringify(value)) changed.push(slot);
      (merged as Record<string, unknown>)[slot] = value;
    }
    if (model !== undefined) {
      if (model.kind === 'near_miss') {
        const asked = state.nearMiss;
        if (asked && asked.input === model.input) return nearMissConfirmed(ctx, { ...state, slots: merged }, model.input);
        const reply = nearMissReply(ctx, model, 'recommend_service', confidence);
        reply.text = [...intro, reply.text].join('\n');
        reply.choices = [...reply.choices, { id: 'model:unknown', label: t(ctx, 'choice_model_unknown') }, intentChoice(ctx, 'restart')];
        return { replies: [reply], state: { ...state, phase: { kind: 'asking', slot: 'model' }, slots: merged, misses: 0, nearMiss: { input: model.input, suggestions: model.suggestions.slice(0, 5) } } };
      }
      const slot = toModelSlot(model);
      if (from.model !== undefined && JSON.stringify(from.model) !== JSON.stringify(slot)) changed.push('model');
      merged.model = slot;
    } else if (merged.model === undefined && state.lastModel) {
      merged.model = state.lastModel;
    }
    const prefix = [...intro];
    const notInTables = model?.kind === 'unknown' && model.input !== '' ? model.input : undefined;
    if (notInTables !== undefined) prefix.push(t(ctx, 'model_not_in_tables', { input: notInTables }));
    const restored: Slots = { ...(state.held ?? {}), ...merged };
    const settled = settle(ctx, restored);
    // A 4-hour answer that does not apply now (a new purchase, send-back) is held, not lost.
    const held: Slots | null = restored.response_24x7 !== undefined && settled.response_24x7 === undefined ? { response_24x7: restored.response_24x7 } : null;
    state = { ...state, held };
    if (merged.years !== undefined && settled.years !== merged.years && stated.years !== undefined) {
      prefix.push(t(ctx, 'years_not_offered', { years: merged.years, options: yearOptions(ctx, settled).map((y) => t(ctx, y === 1 ? 'choice_years_one' : 'choice_years', { years: y })).join(ctx.lang === 'ja' ? '・' : ', ') }));
    }
    const wasConcluded = state.concluded !== null && state.concluded !== undefined && from === state.concluded;
    if (changed.length > 0) {
      const labels = changed.map((s) => slotValueLabel(ctx, s, settled) ?? '').filter(Boolean);
      if (wasConcluded) prefix.push(t(ctx, 'rec_changed', { changes: labels.join(ctx.lang === 'ja' ? '、' : ', ') }));
      else prefix.push(...labels.map((value) => t(ctx, 'answer_changed', { value })));
    }
    const step = ask(ctx, state, settled, prefix, confidence);
    const reply = step.replies[0]!;
    if (notInTables !== undefined && reply.handoff === null) {
      reply.handoff = handoffField(ctx);
      reply.text = [reply.text, '', handoffText(ctx, reply.handoff, summarize(ctx, settled))].join('\n');
    }
    return step;
  }

  function ask(ctx: Ctx, state: ConversationState, slots: Slots, prefix: string[], confidence = 1): Step {
    const lastModel = slots.model && slots.model.kind !== 'unknown' ? slots.model : state.lastModel;
    const slot = nextSlot(ctx, slots);
    if (slot !== undefined) {
      const reply = questionReply(ctx, slot, slots, prefix);
      reply.confidence = confidence;
      return { replies: [reply], state: { ...state, phase: { kind: 'asking', slot }, slots, misses: 0, lastModel, nearMiss: null } };
    }
    const reply = recommendationReply(ctx, slots, confidence);
    if (prefix.length > 0) reply.text = `${prefix.join('\n')}\n${reply.text}`;
    return { replies: [reply], state: { ...state, phase: { kind: 'idle' }, slots: {}, misses: 0, lastModel, concluded: slots, nearMiss: null } };
  }

  function nearMissConfirmed(ctx: Ctx, state: ConversationState, input: string): Step {
    const slots = { ...state.slots, model: { kind: 'unknown', input } as ModelSlot };
    const reply = unknownModelReply(ctx, input, 'recommend_service', 1, summarize(ctx, slots), 'near_miss_confirmed');
    return { replies: [reply], state: { ...idle(state), slots: {}, held: null, lastModel: state.lastModel } };
  }

  // ---- answers ----------------------------------------------------------------------

  function faq(ctx: Ctx, state: ConversationState, intent: IntentId, confidence: number, u: TurnUnderstanding): Step {
    // A model named with any question is remembered: a dialog started later reuses it
    // ("We're replacing our old UPS with a new SMT3000J" answered as Trade-UPS, then the facts).
    const named = [...u.models].reverse().find((m) => m.kind === 'known' || m.kind === 'bundled');
    const next = named === undefined || intent === 'restart' ? idle(state) : { ...idle(state), lastModel: toModelSlot(named) };
    switch (intent) {
      case 'recommend_service':
        return fill(ctx, { ...next, concluded: null }, {}, u.stated, u.models.at(-1), confidence, [kb.answers.recommend_service![ctx.lang]]);
      case 'restart': {
        const reply = answerReply(ctx, 'restart', confidence);
        reply.choices = menuChoices(ctx);
        return { replies: [reply], state: initialState(ctx.lang) };
      }
      case 'human_handoff':
        return { replies: [handoffReply(ctx, state, u, 'human_handoff', confidence)], state: next };
      case 'sku_lookup':
      case 'bundled_model_decode': {
        const model = u.models[0];
        if (model) return modelAnswer(ctx, next, model, intent, confidence);
        if (intent === 'sku_lookup' && state.lastModel && state.lastModel.kind !== 'unknown') return modelAnswer(ctx, next, models.lookup(state.lastModel.printed), intent, confidence);
        const reply = answerReply(ctx, intent, confidence);
        if (intent === 'sku_lookup') reply.text = t(ctx, 'ask_sku_model');
        return { replies: [reply], state: { ...next, phase: { kind: 'awaiting_model', purpose: intent } } };
      }
      case 'out_of_scope':
        return outOfScope(ctx, state, u);
      default: {
        const reply = answerReply(ctx, intent, confidence);
        if (intent === 'help' || intent === 'greeting') reply.choices = menuChoices(ctx);
        else if (!reply.handoff) reply.choices = [intentChoice(ctx, 'recommend_service'), intentChoice(ctx, 'help')];
        else reply.choices = [intentChoice(ctx, 'help')];
        if (reply.handoff) {
          const summary = ['failure_support', 'contact'].includes(intent) ? summaryOf(ctx, state, u) : null;
          reply.text = [reply.text, '', handoffText(ctx, reply.handoff, summary)].join('\n');
        }
        return { replies: [reply], state: next };
      }
    }
  }

  function pause(step: Step, state: ConversationState, ctx: Ctx): Step {
    if (state.phase.kind !== 'asking' && state.phase.kind !== 'paused') return step;
    const slot = state.phase.slot;
    const reply = step.replies.at(-1)!;
    const withPrompt: Reply = {
      ...reply,
      text: `${reply.text}\n\n${t(ctx, 'continue_prompt')}`,
      choices: [{ id: 'continue:yes', label: t(ctx, 'choice_continue_yes') }, { id: 'continue:no', label: t(ctx, 'choice_continue_no') }],
    };
    return { replies: [...step.replies.slice(0, -1), withPrompt], state: { ...step.state, phase: { kind: 'paused', slot }, slots: state.slots } };
  }

  function modelAnswer(ctx: Ctx, state: ConversationState, found: ModelLookup, purpose: 'sku_lookup' | 'bundled_model_decode', confidence: number): Step {
    switch (found.kind) {
      case 'known': {
        const lastModel: ModelSlot = { kind: 'known', printed: found.model.printed };
        const reply = purpose === 'sku_lookup' ? skuListReply(ctx, found.model, confidence) : plainModelDecodeReply(ctx, found.model, confidence);
        return { replies: [reply], state: { ...idle(state), lastModel } };
      }
      case 'bundled':
        return { replies: [decodeReply(ctx, found, confidence)], state: { ...idle(state), lastModel: toModelSlot(found) } };
      case 'near_miss': {
        if (state.nearMiss && state.nearMiss.input === found.input) return nearMissConfirmed(ctx, state, found.input);
        return { replies: [nearMissReply(ctx, found, purpose, confidence)], state: { ...state, phase: { kind: 'awaiting_model', purpose }, nearMiss: { input: found.input, suggestions: found.suggestions.slice(0, 5) } } };
      }
      case 'unknown':
        return { replies: [unknownModelReply(ctx, found.input, purpose, confidence, null)], state: idle(state) };
    }
  }

  function outOfScope(ctx: Ctx, state: ConversationState, u: TurnUnderstanding): Step {
    const reply = answerReply(ctx, 'out_of_scope', u.top === undefined ? 1 : round3(Math.max(0, 1 - u.confidence)));
    reply.intent = null;
    reply.handoff = handoffField(ctx);
    reply.text = [reply.text, '', handoffText(ctx, reply.handoff, null)].join('\n');
    reply.choices = menuChoices(ctx);
    return { replies: [reply], state: { ...state, phase: { kind: 'idle' }, misses: state.misses + 1 } };
  }

  function didYouMean(ctx: Ctx, state: ConversationState, u: TurnUnderstanding): Step {
    const candidates = candidateIntents(u.match.ranked);
    if (candidates.length === 0) return outOfScope(ctx, state, u);
    const reply = emptyReply(t(ctx, 'did_you_mean'), candidates[0]!, u.confidence);
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

  function invalidChoice(ctx: Ctx, state: ConversationState): Step {
    const reply = emptyReply(t(ctx, 'invalid_choice'), 'help', 1);
    reply.choices = state.offered.length > 0 ? state.offered : menuChoices(ctx);
    return { replies: [reply], state };
  }

  /** Facts stated outside the dialog are kept for when it starts ("every fact counts"). */
  function apply(ctx: Ctx, state: ConversationState, u: TurnUnderstanding, action: Action): Step {
    const step = remember(act(ctx, state, u, action), u, action);
    const noted = step.state.phase.kind === 'idle' && action.kind !== 'restart' && action.kind !== 'fill' && !(action.kind === 'menu_intent' && action.intent === 'restart') && action.kind !== 'failed_unit';
    if (!noted || Object.keys(u.stated).length === 0) return step;
    return { ...step, state: { ...step.state, slots: { ...step.state.slots, ...u.stated } } };
  }

  /** A failure reported without a contract is remembered until a restart; a contract named later clears it. */
  function remember(step: Step, u: TurnUnderstanding, action: Action): Step {
    const restarted = action.kind === 'restart' || (action.kind === 'menu_intent' && action.intent === 'restart');
    const failed = restarted || u.acts.includes('has_contract') ? null : u.acts.includes('failure') ? true : (step.state.failed ?? null);
    return failed === (step.state.failed ?? null) ? step : { ...step, state: { ...step.state, failed } };
  }

  function act(ctx: Ctx, state: ConversationState, u: TurnUnderstanding, action: Action): Step {
    switch (action.kind) {
      case 'refuse_choice':
        return invalidChoice(ctx, state);
      case 'menu_intent':
        return faq(ctx, state, action.intent, 1, u);
      case 'resume':
        return ask(ctx, { ...state, phase: { kind: 'idle' } }, state.slots, []);
      case 'stop_dialog':
        return { replies: [emptyReply(t(ctx, 'dialog_stopped'), 'recommend_service', 1)], state: { ...idle(state), slots: {}, held: null } };
      case 'restart':
        return faq(ctx, state, 'restart', action.confidence, u);
      case 'handoff':
        return { replies: [handoffReply(ctx, state, u, 'human_handoff', Math.max(action.confidence, 0.5))], state: idle(state) };
      case 'failed_unit': {
        // It answers "can I still join?": an enrollment question, with the failure handed off.
        const reply = handoffReply(ctx, state, u, 'after_warranty_enrollment', 1, t(ctx, 'failed_owned'));
        return { replies: [reply], state: { ...idle(state), slots: {}, concluded: null, held: null } };
      }
      case 'near_miss_confirmed':
        return nearMissConfirmed(ctx, state, action.input);
      case 'pack_for_owned_unit': {
        const reply = emptyReply(t(ctx, 'eligibility_pack_owned'), 'offering_comparison', action.confidence);
        reply.links = contactLink(ctx, 'annual_skus');
        reply.choices = [intentChoice(ctx, 'recommend_service'), intentChoice(ctx, 'annual_application'), intentChoice(ctx, 'help')];
        return { replies: [reply], state: idle(state) };
      }
      case 'fill': {
        // A fresh dialog starts from the facts heard in earlier turns of the conversation.
        const from = action.base === 'dialog' ? state.slots : action.base === 'concluded' ? (state.concluded ?? {}) : state.slots;
        const start = action.base === 'fresh' ? { ...idle(state), concluded: null, held: null } : state;
        const intro = action.base === 'fresh' ? [kb.answers.recommend_service![ctx.lang]] : [];
        // Facts read from typed text are said back, so a misreading can be corrected at once: a
        // lone answer to the question asked needs none, an answer to another question does (the
        // question asked comes again, and would otherwise look as if the answer went unheard).
        const heard: Slots = { ...action.stated, ...(action.model && action.model.kind !== 'near_miss' ? { model: toModelSlot(action.model) } : {}) };
        const typedFacts = u.choice === null ? summarize(ctx, heard) : null;
        const asked = state.phase.kind === 'asking' ? state.phase.slot : undefined;
        const elsewhere = asked !== undefined && !(asked in heard);
        if (typedFacts !== null && (Object.keys(heard).length >= 2 || elsewhere)) intro.push(t(ctx, 'understood', { summary: typedFacts }));
        return fill(ctx, start, from, action.stated, action.model, action.confidence, intro);
      }
      case 'faq': {
        const step = faq(ctx, state, action.intent, action.confidence, u);
        return action.pause && step.state.phase.kind === 'idle' ? pause(step, state, ctx) : step;
      }
      case 'model_answer':
        return modelAnswer(ctx, state, action.found, action.purpose, action.confidence);
      case 'sku_info':
        return { replies: [skuInfoReply(ctx, describeSku(kb, action.token), action.confidence)], state: idle(state) };
      case 'not_understood': {
        const slot = state.phase.kind === 'asking' || state.phase.kind === 'paused' ? state.phase.slot : SLOT_NAMES[0]!;
        return miss(ctx, state, questionReply(ctx, slot, state.slots, [t(ctx, 'not_understood_slot')]));
      }
      case 'did_you_mean':
        return didYouMean(ctx, state, u);
      case 'out_of_scope':
        return outOfScope(ctx, state, u);
    }
  }

  return { apply, welcome, failure };
}

