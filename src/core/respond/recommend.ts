// The guided dialog's replies: the next question with its choices, and the recommendation
// that concludes it (level, offerings, years, model, the exact SKUs, why, next step, handoff).
import type { Choice, Recommendation, Reply, SkuLine } from '../reply.ts';
import { levelLabel, offeringLabel, yearsLabel } from '../labels.ts';
import { baseLevel, finalLevel, offeringsFor, yearOptions, type DialogContext } from '../dialog/machine.ts';
import type { Slots } from '../dialog/state.ts';
import { SLOT_TABLE, choiceLabelKey, type SlotName } from '../dialog/slots.ts';
import type { MessageKey } from '../knowledge/messages.ts';
import { resolveSkus } from '../sku/resolve.ts';
import { contactLink, echoModel, emptyReply, handoffField, handoffText, intentChoice, t, type ReplyContext } from './context.ts';

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
    return m.kind === 'unknown' ? (m.input ? echoModel(m.input) : t(ctx, 'choice_model_unknown')) : m.printed;
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
    const label = slotValueLabel(ctx, slot, slots);
    if (label !== undefined) parts.push(t(ctx, `summary_${slot}`, { value: label }));
  }
  const level = finalLevel(slots);
  if (level !== undefined && slots.years !== undefined) parts.push(t(ctx, 'summary_level', { value: levelLabel(level, ctx.lang) }));
  return parts.length > 0 ? parts.join(ctx.lang === 'ja' ? '、' : ', ') : null;
}

function reasons(ctx: ReplyContext, slots: Slots): string {
  const level = baseLevel(slots);
  const why: string[] = [];
  if (level === 'sendback') why.push(t(ctx, 'rec_level_sendback'));
  else if (slots.downtime === 'minimize') why.push(t(ctx, 'rec_level_onsite_downtime'));
  else why.push(t(ctx, 'rec_level_onsite_people'));
  if (slots.response_24x7 === 'yes') why.push(t(ctx, 'rec_4h'));
  return why.join(' ');
}

export function recommendationReply(ctx: ReplyContext & DialogContext, slots: Slots, confidence: number): Reply {
  const level = finalLevel(slots)!;
  const years = slots.years ?? null;
  const offerings = offeringsFor(slots, ctx);
  const modelSlot = slots.model;
  const found = modelSlot?.kind === 'known' ? ctx.models.lookup(modelSlot.printed) : undefined;
  const model = found?.kind === 'known' ? found.model : undefined;
  const modelName = modelSlot === undefined || modelSlot.kind === 'unknown' ? null : modelSlot.kind === 'bundled' ? modelSlot.base : modelSlot.printed;

  const lines: string[] = [t(ctx, 'rec_intro'), ''];
  const skus: SkuLine[] = [];
  let needsHandoff = model === undefined;
  const levelName = levelLabel(level, ctx.lang);

  if (slots.timing === 'owned') {
    lines.push(t(ctx, 'rec_owned'), t(ctx, 'rec_annual_line', { level: levelName, years: years ?? 1 }));
    if (model !== undefined) {
      const r = resolveSkus(ctx.kb, model, 'annual', level, years ?? 1);
      if (r.kind === 'ok') skus.push(...r.lines);
      else if (r.kind === 'not_offered' && r.reason === 'not_in_table') {
        lines.push(t(ctx, 'rec_annual_not_offered', { model: model.printed }));
        needsHandoff = true;
      } else {
        lines.push(t(ctx, 'rec_option_not_offered', { model: model.printed, level: levelName, years: years ?? 1 }));
        needsHandoff = true;
      }
    }
  } else {
    const base = baseLevel(slots)!;
    const y = years ?? 3;
    const suffix = base === 'sendback' ? `${y}W` : `OS${y}`;
    lines.push(t(ctx, 'rec_new'), t(ctx, 'rec_bundled_line', { suffix, level: levelLabel(base, ctx.lang), years: y }));
    if (model !== undefined && model.packGroup === null) {
      lines.push(t(ctx, 'rec_pack_no_row', { model: model.printed }));
      needsHandoff = true;
    } else if (offerings.includes('service_pack')) {
      lines.push(t(ctx, 'rec_pack_line', { level: levelLabel(base, ctx.lang), years: y }));
      if (model !== undefined) {
        const r = resolveSkus(ctx.kb, model, 'service_pack', base, y);
        if (r.kind === 'ok') skus.push(...r.lines);
        else lines.push(t(ctx, 'rec_pack_not_offered', { model: model.printed, level: levelLabel(base, ctx.lang), years: y }));
      }
    }
  }

  if (skus.length > 0) {
    const tableTitle = ctx.kb.tables[skus[0]!.offering === 'annual' ? 'annual' : 'service_pack'].title[ctx.lang];
    lines.push('', t(ctx, 'sku_intro', { model: skus[0]!.model, tables: tableTitle }));
    for (const s of skus) lines.push(`・${s.sku} — ${offeringLabel(s.offering, ctx.lang)} / ${levelLabel(s.level, ctx.lang)} / ${yearsLabel(s.years, ctx.lang)}`);
  } else if (modelSlot === undefined || modelSlot.kind === 'unknown') {
    lines.push('', modelSlot?.kind === 'unknown' && modelSlot.input ? t(ctx, 'model_not_in_tables', { input: echoModel(modelSlot.input) }) : t(ctx, 'rec_no_model'));
  }

  lines.push('', t(ctx, 'rec_why', { reasons: reasons(ctx, slots) }));
  lines.push('', t(ctx, slots.timing === 'owned' ? 'rec_next_annual' : 'rec_next_new'));
  const handoff = handoffField(ctx);
  lines.push('', needsHandoff ? handoffText(ctx, handoff, summarize(ctx, slots)) : `${t(ctx, 'rec_handoff')} ${t(ctx, 'handoff_intro', { phone: handoff.phone })}`);

  const recommendation: Recommendation = { level, offerings, years, model: modelName };
  const reply = emptyReply(lines.join('\n'), 'recommend_service', confidence);
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
