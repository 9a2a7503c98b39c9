// The guided recommendation (conversation.md §2) as a table: each slot says when it is
// needed and which choices it offers. The next question is the first needed, unfilled slot.
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Level, Offering } from '../reply.ts';
import type { ModelIndex } from '../sku/model.ts';
import { resolveSkus, supports4h } from '../sku/resolve.ts';
import type { Slots } from './state.ts';
import { SLOT_NAMES, type SlotName } from './slots.ts';

export interface DialogContext {
  kb: KnowledgeBase;
  models: ModelIndex;
}

/** Send-back only when a stop is tolerable AND someone on site can swap the unit. */
export function baseLevel(slots: Slots): Level | undefined {
  if (slots.downtime === 'minimize' || slots.self_service === 'no') return 'nbd_onsite';
  if (slots.downtime === 'tolerable' && slots.self_service === 'yes') return 'sendback';
  return undefined;
}

export function finalLevel(slots: Slots): Level | undefined {
  const level = baseLevel(slots);
  return level === 'nbd_onsite' && slots.response_24x7 === 'yes' ? '4h_onsite' : level;
}

/** Owned → annual; new purchase → bundled first, then a pack where the model has a pack row. */
export function offeringsFor(slots: Slots, ctx?: DialogContext): Offering[] {
  if (slots.timing === 'owned') return ['annual'];
  if (slots.years === 7) return ['bundled'];
  const model = ctx ? knownModel(ctx, slots) : undefined;
  if (model !== undefined && model.packGroup === null) return ['bundled'];
  return ['bundled', 'service_pack'];
}

function knownModel(ctx: DialogContext, slots: Slots) {
  if (slots.model?.kind !== 'known') return undefined;
  const found = ctx.models.lookup(slots.model.printed);
  return found.kind === 'known' ? found.model : undefined;
}

/** The coverage lengths that exist for what the user has said so far. */
export function yearOptions(ctx: DialogContext, slots: Slots): number[] {
  // Until the timing is known every length may still fit: a length told early is kept.
  if (slots.timing === undefined) return [1, 3, 5, 7];
  if (slots.timing === 'new_purchase') return [3, 5, 7];
  const level = baseLevel(slots);
  // On-site annual maintenance is sold by the year; until the level is known, 3 may still fit.
  if (level === 'nbd_onsite') return [1];
  const model = knownModel(ctx, slots);
  // The 3-year send-back exists only for the SU groups of the annual table.
  if (model === undefined) return [1, 3];
  return [1, 3].filter((y) => resolveSkus(ctx.kb, model, 'annual', 'sendback', y).kind === 'ok');
}

/** When each slot of SLOT_TABLE must be asked; questions go in the table's order. */
const NEEDED: Record<SlotName, (ctx: DialogContext, s: Slots) => boolean> = {
  timing: () => true,
  downtime: () => true,
  self_service: (_ctx, s) => s.downtime === 'tolerable',
  model: () => true,
  // The 4-hour upgrade is an annual-table option of the SU groups only.
  response_24x7: (ctx, s) => {
    if (s.timing !== 'owned' || baseLevel(s) !== 'nbd_onsite') return false;
    const model = knownModel(ctx, s);
    return model !== undefined && supports4h(ctx.kb, model);
  },
  years: (ctx, s) => yearOptions(ctx, s).length > 1,
};

export function nextSlot(ctx: DialogContext, slots: Slots): SlotName | undefined {
  return SLOT_NAMES.find((slot) => slots[slot] === undefined && NEEDED[slot](ctx, slots));
}

/** Fills what needs no question (a single year option) and drops answers a change made moot. */
export function settle(ctx: DialogContext, slots: Slots): Slots {
  const s: Slots = { ...slots };
  // An answer given early is kept until what is known rules it out: "4時間は要らない" told
  // before the model still counts once the model is known.
  if (s.timing === 'new_purchase' || baseLevel(s) === 'sendback' || (s.model !== undefined && !NEEDED.response_24x7(ctx, { ...s, timing: 'owned', downtime: 'minimize' }))) delete s.response_24x7;
  if (s.years !== undefined && !yearOptions(ctx, s).includes(s.years)) delete s.years;
  if (s.years === undefined && nextSlot(ctx, s) === undefined) {
    const options = yearOptions(ctx, s);
    if (options.length === 1) s.years = options[0];
  }
  return s;
}
