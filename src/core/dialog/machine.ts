// The guided recommendation (conversation.md §2) as a table: each slot says when it is
// needed and which choices it offers. The next question is the first needed, unfilled slot.
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Level, Offering } from '../reply.ts';
import type { ModelIndex } from '../sku/model.ts';
import { resolveSkus, supports4h } from '../sku/resolve.ts';
import type { SlotName, Slots } from './state.ts';

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

export function offeringsFor(slots: Slots): Offering[] {
  if (slots.timing === 'owned') return ['annual'];
  return slots.years === 7 ? ['bundled'] : ['bundled', 'service_pack'];
}

function knownModel(ctx: DialogContext, slots: Slots) {
  if (slots.model?.kind !== 'known') return undefined;
  const found = ctx.models.lookup(slots.model.printed);
  return found.kind === 'known' ? found.model : undefined;
}

/** The coverage lengths that exist for what the user has said so far. */
export function yearOptions(ctx: DialogContext, slots: Slots): number[] {
  if (slots.timing === 'new_purchase') return [3, 5, 7];
  const level = baseLevel(slots);
  if (level !== 'sendback') return [1];
  const model = knownModel(ctx, slots);
  // The 3-year send-back exists only for the SU groups of the annual table.
  if (model === undefined) return [1, 3];
  return [1, 3].filter((y) => resolveSkus(ctx.kb, model, 'annual', 'sendback', y).kind === 'ok');
}

interface SlotRule {
  slot: SlotName;
  needed(ctx: DialogContext, slots: Slots): boolean;
}

const RULES: readonly SlotRule[] = [
  { slot: 'timing', needed: () => true },
  { slot: 'downtime', needed: () => true },
  { slot: 'self_service', needed: (_ctx, s) => s.downtime === 'tolerable' },
  { slot: 'model', needed: () => true },
  {
    slot: 'response_24x7',
    // The 4-hour upgrade is an annual-table option of the SU groups only.
    needed: (ctx, s) => {
      if (s.timing !== 'owned' || baseLevel(s) !== 'nbd_onsite') return false;
      const model = knownModel(ctx, s);
      return model !== undefined && supports4h(ctx.kb, model);
    },
  },
  { slot: 'years', needed: (ctx, s) => yearOptions(ctx, s).length > 1 },
];

export function nextSlot(ctx: DialogContext, slots: Slots): SlotName | undefined {
  for (const rule of RULES) {
    if (slots[rule.slot] === undefined && rule.needed(ctx, slots)) return rule.slot;
  }
  return undefined;
}

/** Fills what needs no question (a single year option) and drops answers a change made moot. */
export function settle(ctx: DialogContext, slots: Slots): Slots {
  const s: Slots = { ...slots };
  if (s.downtime === 'minimize') delete s.self_service;
  if (!RULES.find((r) => r.slot === 'response_24x7')!.needed(ctx, s)) delete s.response_24x7;
  if (s.years !== undefined && !yearOptions(ctx, s).includes(s.years)) delete s.years;
  if (s.years === undefined && nextSlot(ctx, s) === undefined) {
    const options = yearOptions(ctx, s);
    if (options.length === 1) s.years = options[0];
  }
  return s;
}
