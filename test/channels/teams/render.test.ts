// render.ts: reply object → Adaptive Card 1.5 + fallback, checked against the card subset
// Teams renders, in both languages, and within the size budget even for the longest answer.
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../../src/core/index.ts';
import { formatJstTime } from '../../../src/core/labels.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { MAX_MESSAGE_BYTES, byteSize, renderAdaptiveCard, renderMessage, renderPlainText } from '../../../src/channels/teams/render.ts';
import { AdaptiveCard15Schema, elementsOf } from './adaptive-card-schema.ts';

const base: Reply = {
  text: '年間保守サービスのお申し込みは、申込書を service.hoshu@se.com へメールで送ってください。\n\n証明書は約5営業日で届きます。\n契約番号を控えてください。',
  intent: 'annual_application',
  confidence: 0.93,
  choices: [],
  skus: [],
  recommendation: null,
  handoff: null,
  links: [],
};

const recommendation: Reply = {
  ...base,
  text: 'SMT1500J には翌営業日オンサイトの年間保守をおすすめします。',
  intent: 'recommend_service',
  choices: [
    { id: 'intent:annual_application', label: '申込方法を見る' },
    { id: 'intent:restart', label: '最初から' },
    { id: 'intent:human_handoff', label: '担当者と話す' },
    { id: 'downtime:minimize', label: '止められない' },
  ],
  skus: [{ sku: 'WADVPLNIP-SU-02', model: 'SMT1500J', offering: 'annual', level: 'nbd_onsite', years: 1 }],
  recommendation: { level: 'nbd_onsite', offerings: ['annual'], years: 1, model: 'SMT1500J' },
  handoff: { phone: '03-4578-4697', open: false, nextOpen: '2026-11-30T09:00:00+09:00' },
  links: [{ title: '年間保守サービス型番一覧', url: 'https://www.se.com/jp/ja/faqs/FAQ000281506/' }],
};

type Json = Record<string, unknown>;
const actionsOf = (card: { body: unknown[] }) => elementsOf(card).filter((e) => e['type'] === 'ActionSet').flatMap((e) => e['actions'] as Json[]);
const factsOf = (card: { body: unknown[] }) => elementsOf(card).filter((e) => e['type'] === 'FactSet').flatMap((e) => e['facts'] as Json[]);
const textsOf = (card: { body: unknown[] }) => elementsOf(card).filter((e) => e['type'] === 'TextBlock').map((e) => e['text'] as string);

describe('renderMessage', () => {
  it('makes one valid Adaptive Card 1.5 with wrapped TextBlocks, one per line', () => {
    const message = renderMessage(base);
    expect(Object.keys(message).sort()).toEqual(['attachments', 'summary', 'type']);
    const card = message.attachments[0].content;
    expect(AdaptiveCard15Schema.parse(card).version).toBe('1.5');
    expect(textsOf(card)).toEqual([
      '年間保守サービスのお申し込みは、申込書を service.hoshu@se.com へメールで送ってください。',
      '証明書は約5営業日で届きます。',
      '契約番号を控えてください。',
    ]);
    expect(elementsOf(card).every((e) => e['type'] !== 'TextBlock' || e['wrap'] === true)).toBe(true);
    expect(message.summary).toBe('年間保守サービスのお申し込みは、申込書を service.hoshu@se.com へメールで送ってください。');
  });

  it('lists SKUs as a FactSet with Japanese labels for a Japanese reply', () => {
    const card = renderAdaptiveCard(recommendation);
    expect(AdaptiveCard15Schema.safeParse(card).success).toBe(true);
    expect(factsOf(card)).toEqual([
      { title: 'UPS型番', value: 'SMT1500J' },
      { title: '提供形態', value: '年間保守サービス' },
      { title: 'レベル', value: '翌営業日オンサイト' },
      { title: '年数', value: '1年' },
      { title: 'サービス型番', value: 'WADVPLNIP-SU-02' },
    ]);
  });

  it('uses English labels when the reply text is English', () => {
    const card = renderAdaptiveCard({ ...recommendation, text: 'For the SMT1500J we recommend next-business-day on-site annual maintenance.' });
    expect(factsOf(card)).toContainEqual({ title: 'Offering', value: 'Annual maintenance' });
    expect(factsOf(card)).toContainEqual({ title: 'Years', value: '1 year' });
    expect(textsOf(card)).toContain('Closed now');
    expect(textsOf(card).some((t) => t.startsWith('Opens next: ') && t.endsWith('JST'))).toBe(true);
  });

  it('turns choices into plain Action.Submit buttons carrying the choice id (no messageBack)', () => {
    const card = renderAdaptiveCard(recommendation);
    const submits = actionsOf(card).filter((a) => a['type'] === 'Action.Submit');
    expect(submits).toHaveLength(4);
    expect(submits[3]).toEqual({
      type: 'Action.Submit',
      title: '止められない',
      data: { choice: 'downtime:minimize' },
    });
    // Three buttons to a row: Teams lays an ActionSet out on one line.
    expect(elementsOf(card).filter((e) => e['type'] === 'ActionSet').every((e) => (e['actions'] as unknown[]).length <= 3)).toBe(true);
  });

  it('adds links as Action.OpenUrl and the handoff with a tel: link, closed now and the next opening', () => {
    const card = renderAdaptiveCard(recommendation);
    const urls = actionsOf(card).filter((a) => a['type'] === 'Action.OpenUrl');
    expect(urls).toContainEqual({ type: 'Action.OpenUrl', title: '年間保守サービス型番一覧', url: 'https://www.se.com/jp/ja/faqs/FAQ000281506/' });
    expect(urls).toContainEqual({ type: 'Action.OpenUrl', title: 'コールセンター 03-4578-4697', url: 'tel:0345784697' });
    const texts = textsOf(card);
    expect(texts).toContain('コールセンター: 03-4578-4697');
    expect(texts).toContain('現在は受付時間外です');
    expect(texts).toContain(`次の受付開始: ${formatJstTime('2026-11-30T09:00:00+09:00', 'ja')}`);
    expect(texts.find((t) => t.startsWith('次の受付開始'))).toMatch(/30.*\(月\).*9:00/);
  });

  it('says "open now" without a next opening while the desk is open', () => {
    const card = renderAdaptiveCard({ ...recommendation, handoff: { phone: '03-4578-4697', open: true, nextOpen: null } });
    expect(textsOf(card)).toContain('受付中です');
    expect(textsOf(card).some((t) => t.startsWith('次の受付開始'))).toBe(false);
  });

  it('keeps a plain text fallback with everything the card shows', () => {
    const text = renderPlainText(recommendation);
    for (const part of ['おすすめします', '・止められない', 'SMT1500J / 年間保守サービス / 翌営業日オンサイト / 1年: WADVPLNIP-SU-02', 'https://www.se.com/jp/ja/faqs/FAQ000281506/', '03-4578-4697', '次の受付開始']) {
      expect(text).toContain(part);
    }
    expect(renderAdaptiveCard(recommendation).fallbackText).toBe(text);
  });

  it('never links anything but web pages, and drops control characters', () => {
    const card = renderAdaptiveCard({ ...base, text: 'a\u0000b\u0007c', links: [{ title: 'x', url: 'javascript:alert(1)' }] });
    expect(textsOf(card)).toEqual(['abc']);
    expect(actionsOf(card)).toEqual([]);
  });

  it('stays under the size budget for an absurdly long reply, keeping the SKUs, buttons and phone', () => {
    const long: Reply = { ...recommendation, text: Array.from({ length: 3000 }, (_, i) => `${i}行目: 年間保守サービスの説明が続きます。`).join('\n') };
    const message = renderMessage(long);
    expect(byteSize(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const card = message.attachments[0].content;
    expect(AdaptiveCard15Schema.safeParse(card).success).toBe(true);
    expect(textsOf(card)).toContain('…');
    expect(factsOf(card)).toContainEqual({ title: 'サービス型番', value: 'WADVPLNIP-SU-02' });
    expect(actionsOf(card).some((a) => a['url'] === 'tel:0345784697')).toBe(true);
  });
});

describe('cards for the real engine', () => {
  const questions = [
    'UPS保守サービスって何のためのもの？',
    '無償保証では何をしてもらえますか',
    '有償のサービスにはどんなものがありますか',
    '年間保守のレベルの違いを教えて',
    '保証が切れた後も保守を続けたい',
    '年間保守とサービスパックと保証延長付きモデルの違いは？',
    'センドバックとオンサイトの違いは？',
    '年間保守の申し込み方法を教えてください',
    'サービスパックの登録方法',
    '保証延長付きのUPSモデルについて教えて',
    'バッテリーは保守の対象ですか',
    'Club APCの登録方法',
    '保証書はいつ届きますか',
    'UPSが故障しました',
    'コールセンターの電話番号は？',
    'Trade-UPSについて教えて',
    '年間保守はいくらですか',
    '保証期間は何年ですか',
    'SMT1500RMJ2U のサービス型番を教えて',
    'SMT1500RMJ2U5W とは何ですか',
    'What services are available after the warranty ends?',
    'help',
  ];

  it('renders every answer as a valid card below the size budget', async () => {
    const engine = await buildEngine({ clock: () => new Date('2026-11-28T10:00:00+09:00') });
    let longest = { bytes: 0, question: '' };
    for (const [i, question] of questions.entries()) {
      const replies = await engine.handle({ conversation: `render-${i}`, text: question });
      expect(replies.length, question).toBeGreaterThan(0);
      for (const reply of replies) {
        const message = renderMessage(reply);
        const parsed = AdaptiveCard15Schema.safeParse(message.attachments[0].content);
        expect(parsed.success, `${question}: ${parsed.error?.message}`).toBe(true);
        const bytes = byteSize(message);
        expect(bytes, question).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
        // No answer of ours should need truncating.
        expect(textsOf(message.attachments[0].content), question).not.toContain('…');
        if (bytes > longest.bytes) longest = { bytes, question };
      }
    }
    expect(longest.bytes).toBeGreaterThan(0);
  });
});
