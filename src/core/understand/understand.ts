// One understanding step per turn: text (or a click) in, everything the policy needs out —
// the choice it names, the ranked intents, model numbers, SKU tokens checked against the
// tables and the named model, slot facts and dialog acts. Computed once; nothing downstream
// reads the text again.
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { Matcher, MatchResult } from '../nlu/matcher.ts';
import { applyGuards, isBareModel } from '../nlu/guards.ts';
import { ChoiceMatcher } from '../nlu/choice-matcher.ts';
import type { Choice, IntentId, SkuLine } from '../reply.ts';
import { extractSkuTokens, type ModelIndex, type ModelLookup, type TableModel } from '../sku/model.ts';
import { describeSku, type SkuFind } from '../sku/reverse.ts';
import { resolveSkus } from '../sku/resolve.ts';
import type { SlotName } from '../dialog/slots.ts';
import type { Slots } from '../dialog/state.ts';
import type { DialogAct, SlotFact, SlotReader } from './slot-facts.ts';

export interface SkuCheck {
  token: string;
  found: SkuFind;
  /** Set when the SKU is printed but for other models than the one named in the turn. */
  wrongFor?: { model: TableModel; right: SkuLine[] };
}

export interface TurnUnderstanding {
  /** A clicked choice id, or the id of an offered choice whose label was typed. */
  choice: string | null;
  typed: boolean;
  match: MatchResult;
  top: IntentId | undefined;
  confidence: number;
  /** Model numbers in the order written. */
  models: ModelLookup[];
  bareModel: boolean;
  skus: SkuCheck[];
  facts: SlotFact[];
  /** The slot values stated (enumerated slots and years; the model comes from `models`). */
  stated: Slots;
  acts: DialogAct[];
}

export interface UnderstandDeps {
  kb: KnowledgeBase;
  matcher: Matcher;
  models: ModelIndex;
  slots: SlotReader;
}

const NO_MATCH: MatchResult = { ranked: [], confidence: 0 };

export function understandChoice(choice: string): TurnUnderstanding {
  return { choice, typed: false, match: NO_MATCH, top: undefined, confidence: 1, models: [], bareModel: false, skus: [], facts: [], stated: {}, acts: [] };
}

export function understandText(deps: UnderstandDeps, text: string, offered: readonly Choice[], asked: SlotName | undefined): TurnUnderstanding {
  const typedChoice = new ChoiceMatcher(offered).match(text);
  const models = deps.models.extract(text).map((token) => deps.models.lookup(token));
  const match = applyGuards(deps.matcher.match(text), text, models);
  const reading = deps.slots.read(text, asked);
  const stated: Slots = {};
  for (const [slot, value] of Object.entries(reading.frame) as [SlotName, string | number][]) {
    if (slot === 'model') {
      if (value === 'unknown') stated.model = { kind: 'unknown', input: null };
    } else if (slot === 'years') stated.years = Number(value);
    else (stated as Record<string, unknown>)[slot] = value;
  }
  const named = [...models].reverse().find((m) => m.kind === 'known');
  const skus = extractSkuTokens(text).map((token) => checkSku(deps.kb, token, named?.kind === 'known' ? named.model : undefined));
  return {
    choice: typedChoice ?? null,
    typed: typedChoice !== undefined,
    match,
    top: match.ranked[0]?.intent,
    confidence: match.confidence,
    models,
    bareModel: models.length > 0 && isBareModel(text),
    skus,
    facts: reading.facts,
    stated,
    acts: reading.acts,
  };
}

/** Is the SKU in the tables, and does it fit the model named alongside it? */
function checkSku(kb: KnowledgeBase, token: string, model: TableModel | undefined): SkuCheck {
  const found = describeSku(kb, token);
  if (found.kind === 'unknown' || model === undefined) return { token, found };
  const { info } = found;
  const fits = info.groups.some((g) => g.models.includes(model.printed));
  if (fits) return { token, found };
  const r = resolveSkus(kb, model, info.table.table, info.column.level, info.column.years);
  return { token, found, wrongFor: { model, right: r.kind === 'ok' ? r.lines : [] } };
}

/** How many dialog facts the turn states (a model number counts as one). */
export function factCount(u: TurnUnderstanding, strongOnly = false): number {
  const slots = new Set(u.facts.filter((f) => !strongOnly || !f.weak).map((f) => f.slot));
  if (u.models.length > 0 || u.stated.model !== undefined) slots.add('model');
  return slots.size;
}
