// The SKU tables of knowledge/ against an independent transcription of the brochure
// (test/fixtures/sku-tables.json, typed from shared/seed/000_e9daf8b490b0f274.txt).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/core/knowledge/load.ts';
import type { SkuTableFile } from '../../src/core/knowledge/schema.ts';
import type { Level } from '../../src/core/reply.ts';
import { buildModelIndex, type TableModel } from '../../src/core/sku/model.ts';
import { allPrintedSkus, resolveSkus, supports4h } from '../../src/core/sku/resolve.ts';

interface FixtureColumn {
  printed: string;
  level: Level;
  years: number;
  upgradeOf?: { level: Level; years: number };
}
interface FixtureRow {
  models: string[];
  cells: string[];
}
interface FixtureTable {
  printedTitle: string;
  columns: FixtureColumn[];
  rows: FixtureRow[];
}
type TableName = 'annual' | 'service_pack';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/sku-tables.json', import.meta.url), 'utf8')) as Record<TableName, FixtureTable>;
const TABLES: TableName[] = ['annual', 'service_pack'];
const kb = loadKnowledge();
const index = buildModelIndex(kb);

function knownModel(printed: string): TableModel {
  const r = index.lookup(printed);
  if (r.kind !== 'known') throw new Error(`${printed} does not resolve as known: ${JSON.stringify(r)}`);
  return r.model;
}

/** The knowledge group holding exactly the fixture row's models. */
function groupForRow(table: SkuTableFile, row: FixtureRow): SkuTableFile['groups'][number] {
  const matches = table.groups.filter((g) => [...g.models].sort().join() === [...row.models].sort().join());
  expect(matches, `one group with models ${row.models.join(' ')}`).toHaveLength(1);
  return matches[0]!;
}

/** The knowledge column with the fixture column's meaning (level, years). */
function columnFor(table: SkuTableFile, col: FixtureColumn): SkuTableFile['columns'][number] {
  const matches = table.columns.filter((c) => c.level === col.level && c.years === col.years);
  expect(matches, `one column ${col.level}/${col.years}y`).toHaveLength(1);
  return matches[0]!;
}

const fixtureModels = (t: TableName) => new Set(fixture[t].rows.flatMap((r) => r.models));
const allFixtureModels = [...new Set([...fixtureModels('annual'), ...fixtureModels('service_pack')])];

describe('the fixture itself', () => {
  it('has 4 rows × 4 columns per table, one cell per column, no model twice in a table', () => {
    for (const t of TABLES) {
      expect(fixture[t].columns).toHaveLength(4);
      expect(fixture[t].rows).toHaveLength(4);
      for (const row of fixture[t].rows) expect(row.cells).toHaveLength(4);
      const models = fixture[t].rows.flatMap((r) => r.models);
      expect(new Set(models).size).toBe(models.length);
    }
    expect(fixtureModels('annual').size).toBe(21);
    expect(fixtureModels('service_pack').size).toBe(10);
  });
});

describe.each(TABLES)('knowledge table %s agrees with the brochure', (t) => {
  const table = kb.tables[t];
  const fx = fixture[t];

  it('is the right table with the same number of columns and groups', () => {
    expect(table.table).toBe(t);
    expect(table.columns).toHaveLength(fx.columns.length);
    expect(table.groups).toHaveLength(fx.rows.length);
  });

  it('columns have the printed meaning (level, years) and the 4-hour column is an upgrade of next-business-day on-site', () => {
    for (const col of fx.columns) {
      const k = columnFor(table, col);
      if (col.upgradeOf === undefined) {
        expect(k.upgradeOf, `${k.id} is not an upgrade`).toBeUndefined();
      } else {
        const base = table.columns.find((c) => c.id === k.upgradeOf);
        expect(base, `${k.id}.upgradeOf names a column`).toBeDefined();
        expect({ level: base!.level, years: base!.years }).toEqual(col.upgradeOf);
      }
    }
  });

  it('groups hold exactly the printed models, in the printed order', () => {
    for (const row of fx.rows) expect(groupForRow(table, row).models).toEqual(row.models);
    expect(table.groups.flatMap((g) => g.models).sort()).toEqual([...fixtureModels(t)].sort());
  });

  it.each(fx.rows.map((row, i) => [i, row.models[0]!, row] as const))('row %i (%s …): every cell as printed, "-" included', (_i, _m, row) => {
    const group = groupForRow(table, row);
    fx.columns.forEach((col, j) => {
      const k = columnFor(table, col);
      expect(group.cells[k.id], `${group.id}/${k.id}`).toBe(row.cells[j]);
    });
    // No cell beyond the printed columns.
    expect(Object.keys(group.cells).sort()).toEqual(table.columns.map((c) => c.id).sort());
  });

  it('every model resolves through lookup, to the right table membership', () => {
    for (const printed of allFixtureModels) {
      const m = knownModel(printed);
      expect(m.printed).toBe(printed);
      const inThis = fixtureModels(t).has(printed);
      const groupId = t === 'annual' ? m.annualGroup : m.packGroup;
      if (!inThis) {
        expect(groupId, `${printed} is not in the ${t} table`).toBeNull();
        continue;
      }
      const row = fx.rows.find((r) => r.models.includes(printed))!;
      expect(groupId).toBe(groupForRow(table, row).id);
    }
  });
});

describe('lookup of every printed model', () => {
  it('knows exactly the models of the two tables', () => {
    expect(index.models.map((m) => m.printed).sort()).toEqual([...allFixtureModels].sort());
  });

  it.each(allFixtureModels)('%s resolves as known (and without -JP for BE/BR models)', (printed) => {
    expect(knownModel(printed).printed).toBe(printed);
    if (printed.endsWith('-JP')) {
      expect(knownModel(printed.slice(0, -3)).printed).toBe(printed);
    } else {
      // Only the BE/BR models are printed with -JP.
      expect(printed).toMatch(/^(SMT|SMX|SRT)/);
    }
  });

  it('the BE/BR models are exactly the -JP models', () => {
    for (const printed of allFixtureModels) expect(printed.endsWith('-JP')).toBe(/^(BE|BR)/.test(printed));
  });
});

describe('resolveSkus for every cell of both tables', () => {
  const cases = TABLES.flatMap((t) =>
    fixture[t].rows.flatMap((row) =>
      row.models.flatMap((model) => fixture[t].columns.map((col, j) => ({ t, model, col, cell: row.cells[j]!, row }))),
    ),
  );
  it('covers 21 annual models × 4 columns and 10 pack models × 4 columns', () => {
    expect(cases.length).toBe(21 * 4 + 10 * 4);
  });

  it.each(cases.map((c) => [c.t, c.model, c.col.level, c.col.years, c.cell, c] as const))(
    '%s %s %s %iy → %s',
    (t, model, level, years, cell, c) => {
      const m = knownModel(model);
      const r = resolveSkus(kb, m, t, level, years);
      if (cell === '-') {
        expect(r).toEqual({ kind: 'not_offered', reason: 'cell_empty' });
        return;
      }
      expect(r.kind).toBe('ok');
      if (r.kind !== 'ok') return;
      expect(r.table.table).toBe(t);
      const expected: { sku: string; level: Level; years: number }[] = [];
      if (c.col.upgradeOf !== undefined) {
        const baseIndex = fixture[t].columns.findIndex((x) => x.level === c.col.upgradeOf!.level && x.years === c.col.upgradeOf!.years);
        expect(baseIndex).toBeGreaterThanOrEqual(0);
        expected.push({ sku: c.row.cells[baseIndex]!, level: c.col.upgradeOf.level, years: c.col.upgradeOf.years });
      }
      expected.push({ sku: cell, level, years });
      expect(r.lines).toEqual(expected.map((e) => ({ ...e, model, offering: t })));
    },
  );

  it('the annual 4-hour resolution is next-business-day on-site plus WUPG4HR-SU-00', () => {
    const r = resolveSkus(kb, knownModel('SMT1500J'), 'annual', '4h_onsite', 1);
    expect(r.kind === 'ok' && r.lines.map((l) => l.sku)).toEqual(['WADVPLNIP-SU-02', 'WUPG4HR-SU-00']);
    const be = resolveSkus(kb, knownModel('BE550MI-JP'), 'annual', '4h_onsite', 1);
    expect(be).toEqual({ kind: 'not_offered', reason: 'cell_empty' });
    const beSendback3 = resolveSkus(kb, knownModel('BR1200S-JP'), 'annual', 'sendback', 3);
    expect(beSendback3).toEqual({ kind: 'not_offered', reason: 'cell_empty' });
  });

  it('options the brochure does not print at all are no_such_option', () => {
    const smt = knownModel('SMT1500J');
    const unprinted: [TableName, Level, number][] = [
      ['annual', 'sendback', 5],
      ['annual', 'sendback', 2],
      ['annual', 'nbd_onsite', 3],
      ['annual', '4h_onsite', 3],
      ['service_pack', 'sendback', 1],
      ['service_pack', 'nbd_onsite', 1],
      ['service_pack', '4h_onsite', 3],
      ['service_pack', '4h_onsite', 1],
      ['service_pack', 'sendback', 7],
    ];
    for (const [t, level, years] of unprinted) {
      expect(resolveSkus(kb, smt, t, level, years), `${t} ${level} ${years}`).toEqual({ kind: 'not_offered', reason: 'no_such_option' });
    }
  });

  it('bundled models have no SKUs of their own', () => {
    expect(resolveSkus(kb, knownModel('SMT1500J'), 'bundled', 'sendback', 5)).toEqual({ kind: 'no_skus_for_bundled' });
  });
});

describe('models printed in one table only', () => {
  const annualOnly = [...fixtureModels('annual')].filter((m) => !fixtureModels('service_pack').has(m));
  const packOnly = [...fixtureModels('service_pack')].filter((m) => !fixtureModels('annual').has(m));

  it('the brochure examples: SMT750RMJ1U annual-only, SRT5KXLJ pack-only', () => {
    expect(annualOnly).toContain('SMT750RMJ1U');
    expect(packOnly).toEqual(['SRT5KXLJ']);

    const smt750rm = knownModel('SMT750RMJ1U');
    expect(smt750rm.packGroup).toBeNull();
    expect(resolveSkus(kb, smt750rm, 'service_pack', 'sendback', 3)).toEqual({ kind: 'not_offered', reason: 'not_in_table' });
    const annual = resolveSkus(kb, smt750rm, 'annual', 'sendback', 1);
    expect(annual.kind === 'ok' && annual.lines.map((l) => l.sku)).toEqual(['WEXTIYR-SU-01']);

    const srt5k = knownModel('SRT5KXLJ');
    expect(srt5k.annualGroup).toBeNull();
    expect(resolveSkus(kb, srt5k, 'annual', 'sendback', 1)).toEqual({ kind: 'not_offered', reason: 'not_in_table' });
    expect(resolveSkus(kb, srt5k, 'annual', '4h_onsite', 1)).toEqual({ kind: 'not_offered', reason: 'not_in_table' });
    const pack = resolveSkus(kb, srt5k, 'service_pack', 'nbd_onsite', 5);
    expect(pack.kind === 'ok' && pack.lines.map((l) => l.sku)).toEqual(['WOE5YR-SU-05-PACK']);
  });

  it.each(annualOnly)('%s (annual only): every service-pack option is not_in_table', (model) => {
    const m = knownModel(model);
    for (const col of fixture.service_pack.columns) {
      expect(resolveSkus(kb, m, 'service_pack', col.level, col.years)).toEqual({ kind: 'not_offered', reason: 'not_in_table' });
    }
  });

  it.each(packOnly)('%s (pack only): every annual option is not_in_table', (model) => {
    const m = knownModel(model);
    for (const col of fixture.annual.columns) {
      expect(resolveSkus(kb, m, 'annual', col.level, col.years)).toEqual({ kind: 'not_offered', reason: 'not_in_table' });
    }
  });
});

describe('supports4h', () => {
  const fourH = fixture.annual.columns.findIndex((c) => c.level === '4h_onsite');

  it('the brochure prints WUPG4HR-SU-00 for every SU row and "-" for the BE/BR row', () => {
    for (const row of fixture.annual.rows) {
      const be = row.models.every((m) => /^(BE|BR)/.test(m));
      expect(row.cells[fourH]).toBe(be ? '-' : 'WUPG4HR-SU-00');
    }
  });

  it.each(allFixtureModels)('%s', (model) => {
    const row = fixture.annual.rows.find((r) => r.models.includes(model));
    const expected = row !== undefined && row.cells[fourH] !== '-';
    expect(supports4h(kb, knownModel(model))).toBe(expected);
    if (/^(BE|BR)/.test(model)) expect(expected).toBe(false);
  });
});

describe('allPrintedSkus', () => {
  it('is exactly the set of SKUs printed in the two tables', () => {
    const printed = new Set(TABLES.flatMap((t) => fixture[t].rows.flatMap((r) => r.cells)).filter((c) => c !== '-'));
    expect([...allPrintedSkus(kb)].sort()).toEqual([...printed].sort());
    // Annual: 2 BE/BR SKUs, 3 per SU row, the shared upgrade once; pack: 16.
    expect(printed.size).toBe(2 + 3 * 3 + 1 + 16);
  });
});
