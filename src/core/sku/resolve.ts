// The SKU resolver: (model, offering, level, years) → SKUs printed in the tables, or a typed
// reason why there is none. Pure; the only source of SKUs the engine ever shows.
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { SkuTableFile } from '../knowledge/schema.ts';
import type { Level, Offering, SkuLine } from '../reply.ts';
import type { TableModel } from './model.ts';

export type SkuResult =
  | { kind: 'ok'; lines: SkuLine[]; table: SkuTableFile }
  | { kind: 'not_offered'; reason: 'not_in_table' | 'cell_empty' | 'no_such_option' }
  | { kind: 'no_skus_for_bundled' };

function groupOf(table: SkuTableFile, groupId: string | null) {
  return groupId === null ? undefined : table.groups.find((g) => g.id === groupId);
}

function line(sku: string, model: TableModel, offering: Offering, level: Level, years: number): SkuLine {
  return { sku, model: model.printed, offering, level, years };
}

export function resolveSkus(
  kb: KnowledgeBase,
  model: TableModel,
  offering: Offering,
  level: Level,
  years: number,
): SkuResult {
  if (offering === 'bundled') return { kind: 'no_skus_for_bundled' };
  const table = kb.tables[offering];
  const group = groupOf(table, offering === 'annual' ? model.annualGroup : model.packGroup);
  if (group === undefined) return { kind: 'not_offered', reason: 'not_in_table' };

  // The 4-hour service is an upgrade on top of next-business-day on-site: both SKUs are needed.
  const wanted = table.columns.filter((c) => c.level === level && c.years === years);
  if (wanted.length === 0) return { kind: 'not_offered', reason: 'no_such_option' };
  const lines: SkuLine[] = [];
  for (const column of wanted) {
    const base = column.upgradeOf === undefined ? undefined : table.columns.find((c) => c.id === column.upgradeOf);
    for (const col of base === undefined ? [column] : [base, column]) {
      const sku = group.cells[col.id];
      if (sku === undefined || sku === '-') return { kind: 'not_offered', reason: 'cell_empty' };
      lines.push(line(sku, model, offering, col.level, col.years));
    }
  }
  return { kind: 'ok', lines, table };
}

/** Every SKU printed for the model, table by table (for "which SKUs fit my model?"). */
export function skusForModel(kb: KnowledgeBase, model: TableModel): { offering: Exclude<Offering, 'bundled'>; lines: SkuLine[]; table: SkuTableFile }[] {
  const result = [];
  for (const offering of ['annual', 'service_pack'] as const) {
    const table = kb.tables[offering];
    const group = groupOf(table, offering === 'annual' ? model.annualGroup : model.packGroup);
    if (group === undefined) continue;
    const lines = table.columns
      .map((c) => ({ c, sku: group.cells[c.id] }))
      .filter((x): x is { c: (typeof table.columns)[number]; sku: string } => x.sku !== undefined && x.sku !== '-')
      .map(({ c, sku }) => line(sku, model, offering, c.level, c.years));
    result.push({ offering, lines, table });
  }
  return result;
}

/** True when the model's annual group offers the 4-hour 7x24 upgrade. */
export function supports4h(kb: KnowledgeBase, model: TableModel): boolean {
  const r = resolveSkus(kb, model, 'annual', '4h_onsite', 1);
  return r.kind === 'ok';
}

/** Every SKU printed in either table: the safety net for tests and the engine's final check. */
export function allPrintedSkus(kb: KnowledgeBase): Set<string> {
  const set = new Set<string>();
  for (const table of [kb.tables.annual, kb.tables.service_pack]) {
    for (const g of table.groups) for (const sku of Object.values(g.cells)) if (sku !== '-') set.add(sku);
  }
  return set;
}
