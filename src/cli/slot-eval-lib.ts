// The slot evaluation behind `npm run eval` and its floor test: each labelled message is read
// with the slot the bot had just asked (if any), and the frame it yields (slot facts plus the
// model number) is compared with the label. Exact-frame accuracy and precision/recall per
// slot value.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SlotName } from '../core/dialog/slots.ts';
import { SLOT_NAMES } from '../core/dialog/slots.ts';
import type { SlotReader } from '../core/understand/slot-facts.ts';
import { modelKey, type ModelIndex } from '../core/sku/model.ts';

export const SlotRow = z
  .object({
    id: z.string(),
    lang: z.enum(['ja', 'en']),
    asked: z.enum(SLOT_NAMES as [SlotName, ...SlotName[]]).nullable(),
    text: z.string().min(1),
    expect: z.record(z.string(), z.union([z.string(), z.number()])),
    tags: z.array(z.string()).default([]),
  })
  .strict();
export type SlotRow = z.infer<typeof SlotRow>;

export function readSlotRows(file: string): SlotRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => SlotRow.parse(JSON.parse(l)));
}

export type Frame = Partial<Record<SlotName, string | number>>;

/** The frame the bot reads from one message: slot facts, and the first model number. */
export function readFrame(reader: SlotReader, models: ModelIndex, text: string, asked: SlotName | null): Frame {
  const frame: Frame = { ...reader.read(text, asked ?? undefined).frame };
  const tokens = models.extract(text);
  // The last model named wins: 「SMT1500J、いや SMT1500RMJ2U でした」. A model the tables know is
  // compared as printed there (BE550MI → BE550MI-JP), as the engine uses it.
  if (tokens.length > 0) {
    const found = models.lookup(tokens.at(-1)!);
    frame.model = found.kind === 'known' ? found.model.printed : tokens.at(-1)!;
  }
  return frame;
}

const norm = (slot: string, v: string | number) => (slot === 'model' && v !== 'unknown' ? `model:${modelKey(String(v))}` : `${slot}:${v}`);

export interface SlotReport {
  total: number;
  exact: number;
  accuracy: number;
  byLang: Record<string, { total: number; exact: number }>;
  byTag: Record<string, { total: number; exact: number }>;
  perValue: { value: string; precision: number; recall: number; support: number }[];
  misses: { id: string; asked: string | null; text: string; expected: string; got: string }[];
}

export function evaluateSlots(reader: SlotReader, models: ModelIndex, rows: readonly SlotRow[]): SlotReport {
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const byLang: SlotReport['byLang'] = {};
  const byTag: SlotReport['byTag'] = {};
  const misses: SlotReport['misses'] = [];
  let exact = 0;
  for (const row of rows) {
    const got = readFrame(reader, models, row.text, row.asked);
    // A labelled model is compared as the tables print it too ("BR550S" and "BR550S-JP" are one model).
    const printed = (s: string, v: string | number) => {
      if (s !== 'model' || v === 'unknown') return v;
      const found = models.lookup(String(v));
      return found.kind === 'known' ? found.model.printed : v;
    };
    const want = new Set(Object.entries(row.expect).map(([s, v]) => norm(s, printed(s, v))));
    const have = new Set(Object.entries(got).map(([s, v]) => norm(s, v as string | number)));
    for (const k of have) inc(want.has(k) ? tp : fp, k.startsWith('model:') && k !== 'model:unknown' ? 'model:<number>' : k);
    for (const k of want) if (!have.has(k)) inc(fn, k.startsWith('model:') && k !== 'model:unknown' ? 'model:<number>' : k);
    const ok = want.size === have.size && [...want].every((k) => have.has(k));
    if (ok) exact++;
    else misses.push({ id: row.id, asked: row.asked, text: row.text, expected: [...want].join(' '), got: [...have].join(' ') });
    for (const [bucket, key] of [[byLang, row.lang], ...row.tags.map((t) => [byTag, t] as const)] as const) {
      const b = (bucket[key] ??= { total: 0, exact: 0 });
      b.total++;
      if (ok) b.exact++;
    }
  }
  const values = [...new Set([...tp.keys(), ...fp.keys(), ...fn.keys()])].sort();
  const perValue = values.map((value) => {
    const t = tp.get(value) ?? 0;
    const p = t + (fp.get(value) ?? 0);
    const r = t + (fn.get(value) ?? 0);
    return { value, precision: p === 0 ? 1 : t / p, recall: r === 0 ? 1 : t / r, support: r };
  });
  return { total: rows.length, exact, accuracy: rows.length === 0 ? 0 : exact / rows.length, byLang, byTag, perValue, misses };
}
