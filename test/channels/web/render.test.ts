import { describe, expect, it } from 'vitest';
import { renderForWeb } from '../../../src/channels/web/render.ts';
import { formatJstTime } from '../../../src/core/labels.ts';
import type { Reply } from '../../../src/core/reply.ts';

const base: Reply = { text: 't', intent: 'sku_lookup', confidence: 1, choices: [], skus: [], recommendation: null, handoff: null, links: [] };

describe('renderForWeb', () => {
  it('keeps the contract fields and adds nothing to show when there is no table or handoff', () => {
    expect(renderForWeb(base, 'ja')).toEqual({ ...base, display: { skuTable: null, handoff: null, focus: 'input' } });
  });

  it('lays SKUs out as a table with the SKU first; one model is named in the caption, not in every row', () => {
    const reply: Reply = { ...base, skus: [{ sku: 'WADVPLNIP-SU-02', model: 'SMT1500J', offering: 'annual', level: 'nbd_onsite', years: 1 }] };
    expect(renderForWeb(reply, 'ja').display.skuTable).toEqual({
      caption: 'サービス型番（SMT1500J）',
      columns: ['サービス型番', '内容'],
      rows: [['WADVPLNIP-SU-02', '年間保守サービス・翌営業日オンサイト・1年']],
    });
    expect(renderForWeb(reply, 'en').display.skuTable?.rows[0]).toEqual(['WADVPLNIP-SU-02', 'Annual maintenance, next-business-day on-site, 1 year']);
    const twoModels: Reply = { ...reply, skus: [...reply.skus, { ...reply.skus[0]!, model: 'SRT1000XLJ' }] };
    expect(renderForWeb(twoModels, 'ja').display.skuTable).toMatchObject({ caption: 'サービス型番', columns: ['サービス型番', '内容', 'UPS型番'] });
  });

  it('sends the keyboard to the first choice only when the choices answer the question', () => {
    const question: Reply = { ...base, choices: [{ id: 'downtime:minimize', label: '止められない' }, { id: 'intent:restart', label: '最初から' }] };
    expect(renderForWeb(question, 'ja').display.focus).toBe('choices');
    const model: Reply = { ...base, choices: [{ id: 'model:unknown', label: '型番が分からない' }, { id: 'intent:restart', label: '最初から' }] };
    expect(renderForWeb(model, 'ja').display.focus).toBe('input');
  });

  it('gives the call-center box a dialable tel: link and the next opening in Japan time', () => {
    const reply: Reply = { ...base, handoff: { phone: '03-4578-4697', open: false, nextOpen: '2026-11-30T09:00:00+09:00' } };
    expect(renderForWeb(reply, 'ja').display.handoff).toMatchObject({
      href: 'tel:0345784697',
      phone: '03-4578-4697',
      open: false,
      status: '現在は受付時間外です',
      nextOpen: `次の受付開始：${formatJstTime('2026-11-30T09:00:00+09:00', 'ja')}`,
    });
    const open: Reply = { ...base, handoff: { phone: '03-4578-4697', open: true, nextOpen: null } };
    expect(renderForWeb(open, 'en').display.handoff).toMatchObject({ status: 'Open now', nextOpen: null });
  });
});
