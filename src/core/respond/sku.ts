// Replies that name SKUs straight from a model number: the SKU list and the suffix decode.
// Every SKU comes from the resolver; the text names the model, how many SKUs and the table
// they come from, and the channel shows the SKUs once, from `skus`.
import type { Reply, SkuLine } from '../reply.ts';
import type { SkuTableFile } from '../knowledge/schema.ts';
import { levelLabel, offeringLabel } from '../labels.ts';
import type { ModelLookup, TableModel } from '../sku/model.ts';
import type { SkuFind } from '../sku/reverse.ts';
import { skusForModel } from '../sku/resolve.ts';
import { contactLink, emptyReply, handoffField, handoffText, intentChoice, t, tableSourceLink, type ReplyContext } from './context.ts';

/**
 * "SMT1500J のサービス型番は8件です（…から4件、…から4件）": the text names how many SKUs and
 * from which table; the SKUs themselves are shown once, by the channel, from `skus`.
 */
export function skuCountText(ctx: ReplyContext, model: string, perTable: readonly { table: SkuTableFile; count: number }[]): string {
  const total = perTable.reduce((n, x) => n + x.count, 0);
  const parts =
    perTable.length === 1
      ? t(ctx, 'sku_count_source', { table: perTable[0]!.table.title[ctx.lang] })
      : perTable.map((x) => t(ctx, 'sku_count_part', { table: x.table.title[ctx.lang], count: x.count })).join(ctx.lang === 'ja' ? '、' : ', ');
  return t(ctx, total === 1 ? 'sku_count_one' : 'sku_count', { model, count: total, parts });
}

export function skuListReply(ctx: ReplyContext, model: TableModel, confidence: number): Reply {
  const tables = skusForModel(ctx.kb, model);
  const skus: SkuLine[] = [];
  const notes: string[] = [];
  for (const offering of ['annual', 'service_pack'] as const) {
    const entry = tables.find((x) => x.offering === offering);
    if (entry === undefined) {
      notes.push(t(ctx, 'sku_table_missing', { model: model.printed, table: offeringLabel(offering, ctx.lang) }));
      continue;
    }
    // Cells printed "-" for this model's group: said plainly, so "is there a 4-hour option?" is answered.
    const group = entry.table.groups.find((g) => g.id === (offering === 'annual' ? model.annualGroup : model.packGroup));
    for (const column of entry.table.columns) {
      if (group?.cells[column.id] === '-') notes.push(t(ctx, 'sku_not_offered_line', { column: column.label[ctx.lang] }));
    }
    if (offering === 'service_pack') notes.push(t(ctx, 'sku_pack_only_new'));
    skus.push(...entry.lines);
  }
  const counts = tables.map((x) => ({ table: x.table, count: x.lines.length }));
  const text = [skuCountText(ctx, model.printed, counts), ...notes, t(ctx, 'sku_footer')].join('\n');
  const reply = emptyReply(text, 'sku_lookup', confidence);
  reply.skus = skus;
  reply.links = [...tables.map((x) => tableSourceLink(ctx, x.table)), ...contactLink(ctx, 'bundled_models')];
  reply.choices = [intentChoice(ctx, 'recommend_service'), intentChoice(ctx, 'annual_application'), intentChoice(ctx, 'service_pack_registration')];
  return reply;
}

export function decodeReply(ctx: ReplyContext, found: Extract<ModelLookup, { kind: 'bundled' }>, confidence: number): Reply {
  const text = [
    t(ctx, 'decode_bundled', {
      model: found.printed,
      base: found.base.printed,
      suffix: found.suffix.suffix,
      level: levelLabel(found.suffix.level, ctx.lang),
      years: found.suffix.years,
    }),
    t(ctx, 'decode_bundled_note'),
  ].join('\n');
  const reply = emptyReply(text, 'bundled_model_decode', confidence);
  reply.links = [...contactLink(ctx, 'bundled_models'), ...contactLink(ctx, 'club_apc')];
  reply.choices = [intentChoice(ctx, 'bundled_models'), intentChoice(ctx, 'recommend_service')];
  return reply;
}

export function plainModelDecodeReply(ctx: ReplyContext, model: TableModel, confidence: number): Reply {
  const reply = emptyReply(t(ctx, 'decode_plain_model', { model: model.printed }), 'bundled_model_decode', confidence);
  reply.links = contactLink(ctx, 'bundled_models');
  reply.choices = [intentChoice(ctx, 'sku_lookup'), intentChoice(ctx, 'bundled_models')];
  return reply;
}

/** "Did you mean …?" for a near miss: the candidates as choices, never a silent guess. */
export function nearMissReply(ctx: ReplyContext, found: Extract<ModelLookup, { kind: 'near_miss' }>, intent: Reply['intent'], confidence: number): Reply {
  const shown = found.suggestions.slice(0, 5);
  // Named in the text too: a notification, a screen reader or Slack's fallback text shows no buttons.
  const candidates = ctx.lang === 'ja' ? shown.join('、') : shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}` : shown.join('');
  const reply = emptyReply(t(ctx, 'model_near_miss', { input: found.input, candidates }), intent, confidence);
  reply.choices = shown.map((m) => ({ id: `model:${m}`, label: m }));
  return reply;
}

/** A model in no table: say so honestly, no SKU, and hand off. */
export function unknownModelReply(
  ctx: ReplyContext,
  input: string,
  intent: Reply['intent'],
  confidence: number,
  summary: string | null,
  message: 'model_not_in_tables' | 'sku_unknown' | 'near_miss_confirmed' = 'model_not_in_tables',
): Reply {
  const handoff = handoffField(ctx);
  const text = [t(ctx, message, { input: input }), '', handoffText(ctx, handoff, summary)].join('\n');
  const reply = emptyReply(text, intent, confidence);
  reply.handoff = handoff;
  reply.links = [...contactLink(ctx, 'annual_skus'), ...contactLink(ctx, 'bundled_models')];
  reply.choices = [intentChoice(ctx, 'recommend_service'), intentChoice(ctx, 'help')];
  return reply;
}

/** What a pasted SKU is: its table, column and the models it fits, as SKU lines per model. */
export function skuInfoReply(ctx: ReplyContext, found: SkuFind, confidence: number): Reply {
  if (found.kind === 'unknown') return unknownModelReply(ctx, found.input, 'sku_lookup', confidence, null, 'sku_unknown');
  const { info } = found;
  const models = info.groups.flatMap((g) => g.models);
  const text = [
    ...(found.kind === 'near_miss' ? [t(ctx, 'sku_printed_as', { input: found.input, sku: info.sku })] : []),
    t(ctx, 'sku_info', { table: info.table.title[ctx.lang], column: info.column.label[ctx.lang], count: models.length, models: models.join(ctx.lang === 'ja' ? '、' : ', ') }),
    t(ctx, 'sku_footer'),
  ].join('\n');
  const reply = emptyReply(text, 'sku_lookup', confidence);
  reply.skus = models.map((model) => ({ sku: info.sku, model, offering: info.table.table, level: info.column.level, years: info.column.years }));
  reply.links = [tableSourceLink(ctx, info.table)];
  reply.choices = [intentChoice(ctx, 'recommend_service'), intentChoice(ctx, info.table.table === 'annual' ? 'annual_application' : 'service_pack_registration')];
  return reply;
}

/** The correction lines for SKU tokens in the user's text: not in the tables, or for other models. */
export function skuCheckLines(ctx: ReplyContext, checks: readonly { token: string; found: SkuFind; wrongFor?: { model: TableModel; right: SkuLine[] } }[]): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    if (c.found.kind === 'unknown') {
      lines.push(t(ctx, 'sku_check_unknown', { sku: c.token }));
      continue;
    }
    if (c.wrongFor === undefined) continue;
    const { info } = c.found;
    const fits = info.groups.flatMap((g) => g.models).join(ctx.lang === 'ja' ? '、' : ', ');
    lines.push(t(ctx, 'sku_check_wrong_model', { sku: info.sku, model: c.wrongFor.model.printed, fits }));
    if (c.wrongFor.right.length > 0) {
      lines.push(t(ctx, 'sku_check_right', { model: c.wrongFor.model.printed, column: info.column.label[ctx.lang], right: c.wrongFor.right.map((s) => s.sku).join(' + ') }));
    }
  }
  return lines;
}
