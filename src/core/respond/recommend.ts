// The guided dialog's replies: the next question with its choices, and the recommendation
// that concludes it (level, offerings, years, model, the exact SKUs, why, next step, handoff).
import type { Choice, Recommendation, Reply, SkuLine } from '../reply.ts';
import { levelLabel, offeringLabel, yearsLabel } from '../labels.ts';
import { baseLevel, finalLevel, offeringsFor, yearOptions, type DialogContext } from '../dialog/machine.ts';
import type { Slots } from '../dialog/state.ts';
import { SLOT_TABLE, choiceLabelKey, type SlotName } from '../dialog/slots.ts';
import type { MessageKey } from '../knowledge/messages.ts';
import { resolveSkus } from '../sku/resolve.ts';
import { contactLink, emptyReply, handoffField, handoffText, intentChoice, t, type ReplyContext } from './context.ts';
import { skuCountText } from './sku.ts';

export function slotChoices(ctx: ReplyContext & DialogContext, slot: SlotName, slots: Slots): Choice[] {
  if (slot === 'years') {
    return yearOptions(ctx, slots).map((y) => ({ id: `years:${y}`, label: t(ctx, y === 1 ? 'choice_years_one' : 'choice_years', { years: y }) }));
  }
  return SLOT_TABLE[slot].values.map((value) => ({ id: `${slot}:${value}`, label: t(ctx, choiceLabelKey(slot, value)) }));
}

/** The label of a slot value, as the user saw it on the button (for echoes and summaries). */
export function slotValueLabel(ctx: ReplyContext & DialogContext, slot: SlotName, slots: Slots): string | undefined {
  if (slot === 'model') {
    const m = slots.model;
    if (m === undefined) return undefined;
    return m.kind === 'unknown' ? (m.input || t(ctx, 'choice_model_unknown')) : m.printed;
  }
  const value = slots[slot];
  if (value === undefined) return undefined;
  if (slot === 'years') return yearsLabel(value as number, ctx.lang);
  return t(ctx, choiceLabelKey(slot, String(value)));
}

export function questionReply(ctx: ReplyContext & DialogContext, slot: SlotName, slots: Slots, prefix: string[] = []): Reply {
  const text = [...prefix, t(ctx, SLOT_TABLE[slot].question)].filter(Boolean).join('\n');
  const reply = emptyReply(text, 'recommend_service', 1);
  reply.choices = [...slotChoices(ctx, slot, slots), intentChoice(ctx, 'restart')];
  return reply;
}

export function summarize(ctx: ReplyContext & DialogContext, slots: Slots): string | null {
  const parts: string[] = [];
  for (const slot of ['model', 'timing', 'downtime', 'self_service', 'response_24x7', 'years'] as const) {
    if (slot === 'model' && slots.model?.kind === 'unknown' && !slots.model.input) {
      parts.push(t(ctx, 'summary_model_unknown'));
      continue;
    }
    const label = slotValueLabel(ctx, slot, slots);
    if (label !== undefined) parts.push(t(ctx, `summary_${slot}`, { value: label }));
  }
  const level = finalLevel(slots);
  if (level !== undefined && slots.years !== undefined) parts.push(t(ctx, 'summary_level', { value: levelLabel(level, ctx.lang) }));
  return parts.length > 0 ? parts.join(ctx.lang === 'ja' ? '、' : ', ') : null;
}

/** A label inside an English sentence starts in lower case ("next-business-day on-site"). */
function inline(label: string, lang: ReplyContext['lang']): string {
  return lang === 'en' ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

function reasons(ctx: ReplyContext, slots: Slots): string {
  const level = baseLevel(slots);
  const why: string[] = [];
  if (level === 'sendback') why.push(t(ctx, 'rec_level_sendback'));
  else if (slots.downtime === 'minimize') why.push(t(ctx, 'rec_level_onsite_downtime'));
  else why.push(t(ctx, 'rec_level_onsite_people'));
  if (slots.response_24x7 === 'yes') why.push(t(ctx, 'rec_4h'));
  // Japanese sentences follow each other without a space.
  return why.join(ctx.lang === 'ja' ? '' : ' ');
}

/**
 * The recommendation, answer first: what to choose and why, then how many SKUs and from which
 * table (the SKUs themselves are in `skus`), what is not offered, the next step and the call
 * center (said once; the box shows hours and whether the desk is open).
 */
export function recommendationReply(ctx: ReplyContext & DialogContext, slots: Slots, confidence: number): Reply {
  const level = finalLevel(slots)!;
  const years = slots.years ?? null;
  const offerings = offeringsFor(slots, ctx);
  const modelSlot = slots.model;
  const found = modelSlot?.kind === 'known' ? ctx.models.lookup(modelSlot.printed) : undefined;
  const model = found?.kind === 'known' ? found.model : undefined;
  const modelName = modelSlot === undefined || modelSlot.kind === 'unknown' ? null : modelSlot.kind === 'bundled' ? modelSlot.base : modelSlot.printed;

  const lines: string[] = [];
  const notes: string[] = [];
  const skus: SkuLine[] = [];
  let needsHandoff = model === undefined;
  const levelName = levelLabel(level, ctx.lang);

  if (slots.timing === 'owned') {
    const y = years ?? 1;
    lines.push(t(ctx, 'rec_headline', { offering: inline(offeringLabel('annual', ctx.lang), ctx.lang), level: inline(levelName, ctx.lang), years: yearsLabel(y, ctx.lang) }), reasons(ctx, slots), t(ctx, 'rec_owned'));
    if (model !== undefined) {
      const r = resolveSkus(ctx.kb, model, 'annual', level, y);
      if (r.kind === 'ok') skus.push(...r.lines);
      else if (r.kind === 'not_offered' && r.reason === 'not_in_table') {
        notes.push(t(ctx, 'rec_annual_not_offered', { model: model.printed }));
        needsHandoff = true;
      } else {
        notes.push(t(ctx, 'rec_option_not_offered', { model: model.printed, level: levelName, years: y }));
        needsHandoff = true;
      }
    }
  } else {
    const base = baseLevel(slots)!;
    const y = years ?? 3;
    const suffix = base === 'sendback' ? `${y}W` : `OS${y}`;
    lines.push(t(ctx, 'rec_headline_new', { suffix, level: inline(levelLabel(base, ctx.lang), ctx.lang), years: yearsLabel(y, ctx.lang) }), reasons(ctx, slots));
    lines.push('\n', t(ctx, 'rec_new'));
    if (model !== undefined && model.packGroup === null) {
      notes.push(t(ctx, 'rec_pack_no_row', { model: model.printed }));
      needsHandoff = true;
    } else if (offerings.includes('service_pack')) {
      lines.push(t(ctx, 'rec_pack_line'));
      if (model !== undefined) {
        const r = resolveSkus(ctx.kb, model, 'service_pack', base, y);
        if (r.kind === 'ok') skus.push(...r.lines);
        else notes.push(t(ctx, 'rec_pack_not_offered', { model: model.printed, level: levelLabel(base, ctx.lang), years: y }));
      }
    }
  }

  const paragraphs = lines.join(ctx.lang === 'ja' ? '' : ' ').split(/ ?\n ?/).filter((p) => p !== '');
  if (skus.length > 0) {
    const table = ctx.kb.tables[skus[0]!.offering === 'annual' ? 'annual' : 'service_pack'];
    paragraphs.push(skuCountText(ctx, skus[0]!.model, [{ table, count: skus.length }]));
  } else if (modelSlot === undefined || modelSlot.kind === 'unknown') {
    notes.push(modelSlot?.kind === 'unknown' && modelSlot.input ? t(ctx, 'model_not_in_tables', { input: modelSlot.input }) : t(ctx, 'rec_no_model'));
  }
  if (notes.length > 0) paragraphs.push(notes.join('\n'));
  paragraphs.push(t(ctx, slots.timing === 'owned' ? 'rec_next_annual' : 'rec_next_new'));
  const handoff = handoffField(ctx);
  paragraphs.push(needsHandoff ? handoffText(ctx, handoff, summarize(ctx, slots)) : t(ctx, 'rec_handoff', { phone: handoff.phone }));

  const recommendation: Recommendation = { level, offerings, years, model: modelName };
  const reply = emptyReply(paragraphs.join('\n\n'), 'recommend_service', confidence);
  reply.skus = skus;
  reply.recommendation = recommendation;
  reply.handoff = handoff;
  reply.links = slots.timing === 'owned'
    ? [...contactLink(ctx, 'annual_skus'), ...contactLink(ctx, 'annual_certificate_sample')]
    : [...contactLink(ctx, 'bundled_models'), ...contactLink(ctx, 'club_apc_registration'), ...contactLink(ctx, 'service_handbook')];
  reply.choices = [
    intentChoice(ctx, slots.timing === 'owned' ? 'annual_application' : 'service_pack_registration'),
    intentChoice(ctx, 'human_handoff'),
    intentChoice(ctx, 'restart'),
  ];
  return reply;
}
