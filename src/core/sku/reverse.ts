// SKU → what it is: purchasing staff paste a SKU from a quote and ask which models it fits.
// Only SKUs printed in the tables are described; a one-character miss (e.g. WEXT1YR for the
// printed WEXTIYR) is answered with the printed spelling, never silently.
import { distance } from 'fastest-levenshtein';
import type { KnowledgeBase } from '../knowledge/load.ts';
import type { SkuTableFile } from '../knowledge/schema.ts';
import { modelKey } from './model.ts';

export interface SkuCellInfo {
  sku: string;
  table: SkuTableFile;
  column: SkuTableFile['columns'][number];
  groups: SkuTableFile['groups'];
}

export type SkuFind = { kind: 'printed'; info: SkuCellInfo } | { kind: 'near_miss'; input: string; info: SkuCellInfo } | { kind: 'unknown'; input: string };

export function describeSku(kb: KnowledgeBase, raw: string): SkuFind {
  const key = modelKey(raw);
  const cells = new Map<string, SkuCellInfo>();
  for (const table of [kb.tables.annual, kb.tables.service_pack]) {
    for (const group of table.groups) {
      for (const column of table.columns) {
        const sku = group.cells[column.id];
        if (sku === undefined || sku === '-') continue;
        const info = cells.get(sku) ?? { sku, table, column, groups: [] };
        info.groups.push(group);
        cells.set(sku, info);
      }
    }
  }
  for (const info of cells.values()) if (modelKey(info.sku) === key) return { kind: 'printed', info };
  // I/1 and O/0 look alike in print: "WEXT1YR-SU-02" is the printed "WEXTIYR-SU-02".
  const lookalike = (s: string) => s.replace(/I/g, '1').replace(/O/g, '0');
  const alike = [...cells.values()].filter((info) => lookalike(modelKey(info.sku)) === lookalike(key));
  if (alike.length === 1) return { kind: 'near_miss', input: raw, info: alike[0]! };
  const close = [...cells.values()].filter((info) => distance(modelKey(info.sku), key) === 1);
  if (close.length === 1) return { kind: 'near_miss', input: raw, info: close[0]! };
  return { kind: 'unknown', input: raw };
}
