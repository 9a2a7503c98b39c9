import { describe, expect, it } from 'vitest';
import { renderForWeb } from '../../../src/channels/web/render.ts';
import { formatJstTime } from '../../../src/core/labels.ts';
import type { Reply } from '../../../src/core/reply.ts';

const base: Reply = { text: 't', intent: 'sku_lookup', confidence: 1, choices: [], skus: [], recommendation: null, handoff: null, links: [] };

describe('renderForWeb', () => {
  it('keeps the contract fields and adds nothing to show when there is no table or handoff', () => {
    expect(renderForWeb(base, 'ja')).toEqual({ ...base, display: { skuTable: null, handoff: null } });
  });

  it('lays SKUs out as a labelled table (model, offering, level, years, SKU)', () => {
    const reply: Reply = { ...base, skus: [{ sku: 'WADVPLNIP-SU-02', model: 'SMT1500J', offering: 'annual', level: 'nbd_onsite', years: 1 }] };
    expect(renderForWeb(reply, 'ja').display.skuTable).toEqual({
      columns: ['UPS型番', '提供形態', 'レベル', '年数', 'サービス型番'],
      rows: [['SMT1500J', '年間保守サービス', '翌営業日オンサイト', '1年', 'WADVPLNIP-SU-02']],
    });
    expect(renderForWeb(reply, 'en').display.skuTable?.rows[0]).toEqual(['SMT1500J', 'Annual maintenance', 'Next-business-day on-site', '1 year', 'WADVPLNIP-SU-02']);
  });

  it('gives the call-center box a dialable tel: link and the next opening in Japan time', () => {
    const reply: Reply = { ...base, handoff: { phone: '03-4578-4697', open: false, nextOpen: '2026-11-30T09:00:00+09:00' } };
    expect(renderForWeb(reply, 'ja').display.handoff).toMatchObject({
      href: 'tel:0345784697',
      phone: '03-4578-4697',
      open: false,
      status: '現在は受付時間外です',
      nextOpen: `次の受付開始: ${formatJstTime('2026-11-30T09:00:00+09:00', 'ja')}`,
    });
    const open: Reply = { ...base, handoff: { phone: '03-4578-4697', open: true, nextOpen: null } };
    expect(renderForWeb(open, 'en').display.handoff).toMatchObject({ status: 'Open now', nextOpen: null });
  });
});
