import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, escapeMrkdwn, markChosen, renderHomeView, renderReply, splitText, type SlackMessage } from '../../../src/channels/slack/render.ts';
import { formatJstTime } from '../../../src/core/labels.ts';
import { ReplySchema, type Reply } from '../../../src/core/reply.ts';

function reply(overrides: Partial<Reply> = {}): Reply {
  return ReplySchema.parse({
    text: '年間保守サービスのご案内です。',
    intent: 'annual_levels',
    confidence: 0.9,
    choices: [],
    skus: [],
    recommendation: null,
    handoff: null,
    links: [],
    ...overrides,
  });
}

/** Every Block Kit limit the renderer promises to respect. */
function expectValidMessage(message: SlackMessage): void {
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  expect(message.blocks.length).toBeGreaterThan(0);
  expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  const actionIds = new Set<string>();
  for (const block of message.blocks) {
    if (block.type === 'section') {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.sectionFields);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
    } else if (block.type === 'actions') {
      expect(block.elements.length).toBeLessThanOrEqual(LIMITS.elementsPerActions);
      for (const element of block.elements) {
        if (element.type !== 'button') throw new Error('only buttons expected');
        expect(Array.from(element.text.text).length).toBeLessThanOrEqual(LIMITS.buttonText);
        expect(element.value!.length).toBeLessThanOrEqual(LIMITS.buttonValue);
        expect(actionIds.has(element.action_id!)).toBe(false);
        actionIds.add(element.action_id!);
      }
    } else if (block.type === 'context') {
      expect(block.elements.length).toBeLessThanOrEqual(LIMITS.elementsPerContext);
    }
  }
}

describe('renderReply', () => {
  it('renders text as an escaped mrkdwn section with a plain fallback', () => {
    const [message] = renderReply(reply({ text: 'A & B <C> 5 > 3' }), 'ja');
    expect(message!.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'A &amp; B &lt;C&gt; 5 &gt; 3' } });
    expect(message!.text).toContain('A &amp; B');
  });

  it('never echoes broadcasts or mentions', () => {
    const [message] = renderReply(reply({ text: 'こんにちは <!channel> <!here> <!everyone> <@U123> <!subteam^S1|@ops> さん' }), 'ja');
    const sent = JSON.stringify(message);
    for (const token of ['channel', 'here', 'everyone', 'U123', 'subteam']) expect(sent).not.toContain(token);
  });

  it('renders choices as buttons with unique action ids and the choice id as value', () => {
    const choices = [
      { id: 'downtime:minimize', label: '止められない' },
      { id: 'downtime:tolerable', label: '一時停止は許容できる' },
    ];
    const [message] = renderReply(reply({ choices }), 'ja');
    const actions = message!.blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({
      type: 'actions',
      elements: [
        { type: 'button', action_id: 'ups_choice_0', value: 'downtime:minimize', text: { type: 'plain_text', text: '止められない' } },
        { type: 'button', action_id: 'ups_choice_1', value: 'downtime:tolerable', text: { type: 'plain_text', text: '一時停止は許容できる' } },
      ],
    });
  });

  it('splits more than 25 choices over several actions blocks and trims long labels', () => {
    const choices = Array.from({ length: 60 }, (_, i) => ({ id: `model:M${i}`, label: `${'選'.repeat(100)}${i}` }));
    const [message] = renderReply(reply({ choices }), 'ja');
    const actions = message!.blocks.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(3);
    expectValidMessage(message!);
  });

  it('renders SKUs once, as one list under a title naming the model, SKU first on every line', () => {
    const skus = [
      { sku: 'WEXTIYR-SU-02', model: 'SMT1500J', offering: 'annual' as const, level: 'sendback' as const, years: 1 },
      { sku: 'WADVPLNIP-SU-02', model: 'SMT1500J', offering: 'annual' as const, level: 'nbd_onsite' as const, years: 1 },
    ];
    const [message] = renderReply(reply({ skus }), 'ja');
    const sections = message!.blocks.filter((b) => b.type === 'section' && b.text?.text.includes('WADVPLNIP'));
    expect(sections).toHaveLength(1);
    expect((sections[0] as { text: { text: string } }).text.text).toBe(
      '*サービス型番（SMT1500J）*\n`WEXTIYR-SU-02`  年間保守サービス・センドバック・1年\n`WADVPLNIP-SU-02`  年間保守サービス・翌営業日オンサイト・1年',
    );
  });

  it("labels SKUs in the turn's language, not the text's, and names the model per line when it varies", () => {
    const skus = [
      { sku: 'WADVPLNIP-SU-02', model: 'SMT1500J', offering: 'annual' as const, level: 'nbd_onsite' as const, years: 1 },
      { sku: 'WADVPLNIP-SU-02', model: 'SRT1000XLJ', offering: 'annual' as const, level: 'nbd_onsite' as const, years: 1 },
    ];
    const [message] = renderReply(reply({ text: '年間保守です。', skus }), 'en');
    const text = JSON.stringify(message);
    expect(text).toContain('*Service SKUs*');
    expect(text).toContain('`WADVPLNIP-SU-02`  Annual maintenance, next-business-day on-site, 1 year — SRT1000XLJ');
  });

  it('renders the handoff as its own block: phone, closed now, next opening in JST', () => {
    const [message] = renderReply(reply({ handoff: { phone: '03-4578-4697', open: false, nextOpen: '2026-11-30T09:00:00+09:00' } }), 'ja');
    const handoff = message!.blocks.find((b) => b.block_id === 'ups_handoff');
    expect(handoff?.type).toBe('section');
    const text = (handoff as { text: { text: string } }).text.text;
    expect(text).toContain('03-4578-4697');
    expect(text).toContain('現在は受付時間外です');
    // The formatting itself is labels.ts's (its ICU gives "11/30(月) 9:00", written "11/30（月）9:00").
    expect(text).toContain(formatJstTime('2026-11-30T09:00:00+09:00', 'ja'));
    expect(text).toContain('9:00');
  });

  it('says the desk is open when it is', () => {
    const [message] = renderReply(reply({ text: 'Call us.', handoff: { phone: '03-4578-4697', open: true, nextOpen: null } }), 'en');
    expect(JSON.stringify(message)).toContain('Open now');
  });

  it('renders links as context with escaped titles', () => {
    const [message] = renderReply(reply({ links: [{ title: 'SKU <list> & more', url: 'https://www.se.com/jp/ja/faqs/FAQ000281506/' }] }), 'ja');
    expect(message!.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '<https://www.se.com/jp/ja/faqs/FAQ000281506/|SKU &lt;list&gt; &amp; more>' }],
    });
  });

  it('splits an answer longer than 3000 characters into valid sections', () => {
    const paragraph = '年間保守サービスは、保証期間の終了後も安心してUPSをお使いいただくためのサービスです。'.repeat(20);
    const text = Array.from({ length: 8 }, () => paragraph).join('\n\n') + '&<>'.repeat(500);
    expect(text.length).toBeGreaterThan(3000);
    const messages = renderReply(reply({ text, choices: [{ id: 'intent:help', label: 'メニュー' }] }), 'ja');
    const sections = messages.flatMap((m) => m.blocks).filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    for (const message of messages) expectValidMessage(message);
    const roundTrip = sections.map((s) => (s as { text: { text: string } }).text.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).join('');
    expect(roundTrip.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('splits more than 50 blocks over several messages, buttons in the last one', () => {
    const text = Array.from({ length: 55 }, (_, i) => `${i}: ${'年間保守の説明です。'.repeat(290)}`).join('\n\n');
    const messages = renderReply(reply({ text, choices: [{ id: 'years:1', label: '1年' }] }), 'ja');
    expect(messages.length).toBe(2);
    for (const message of messages) expectValidMessage(message);
    expect(messages[1]!.blocks.some((b) => b.type === 'actions')).toBe(true);
  });

  it('meets every limit for arbitrary replies', () => {
    const text = fc.string({ minLength: 1, maxLength: 7000, unit: fc.constantFrom('a', 'あ', '&', '<', '>', ' ', '\n', '😀', '。') });
    const choice = fc.record({ id: fc.string({ minLength: 1, maxLength: 100 }), label: fc.string({ minLength: 1, maxLength: 200 }) });
    fc.assert(
      fc.property(text, fc.array(choice, { maxLength: 80 }), (t, choices) => {
        if (t.trim() === '') return;
        for (const message of renderReply(reply({ text: t, choices }), 'ja')) expectValidMessage(message);
      }),
      { numRuns: 150 },
    );
  });
});

describe('splitText', () => {
  it('prefers paragraph breaks and counts escaped length', () => {
    expect(splitText('aaaa\n\nbbbb', 6)).toEqual(['aaaa', 'bbbb']);
    expect(splitText('&&&&', 10)).toEqual(['&&', '&&']);
    expect(escapeMrkdwn('&&')).toHaveLength(10);
  });

  it('never cuts a surrogate pair', () => {
    for (const piece of splitText('😀'.repeat(10), 5)) expect(piece).not.toMatch(/[\ud800-\udbff]$/);
  });
});

describe('markChosen', () => {
  it('removes the choice buttons and shows the chosen label', () => {
    const [message] = renderReply(reply({ choices: [{ id: 'timing:owned', label: 'すでに持っている <UPS>' }] }), 'ja');
    const updated = markChosen(message!.blocks, 'すでに持っている <UPS>');
    expect(updated.some((b) => b.type === 'actions')).toBe(false);
    expect(updated.at(-1)).toMatchObject({ type: 'context', elements: [{ type: 'mrkdwn', text: ':white_check_mark: *すでに持っている &lt;UPS&gt;*' }] });
    expect(updated[0]).toEqual(message!.blocks[0]);
  });
});

describe('renderHomeView', () => {
  it('shows the menu and the call-center box', () => {
    const welcome = reply({ intent: 'help', choices: [{ id: 'intent:recommend_service', label: 'おすすめの保守を選ぶ' }] });
    const view = renderHomeView(welcome, { phone: '03-4578-4697', open: true, nextOpen: null }, 'ja');
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain('03-4578-4697');
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(true);
  });
});
