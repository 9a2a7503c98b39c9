// The engine's text ends with the SKUs it shows (converse, notifications, screen readers read
// them there); every channel that renders the SKU list drops that line, so a user sees each SKU once.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReply as renderSlack } from '../../src/channels/slack/render.ts';
import { renderMessage, renderPlainText } from '../../src/channels/teams/render.ts';
import { renderForWeb } from '../../src/channels/web/render.ts';
import { buildEngine, type Engine } from '../../src/core/index.ts';
import { fieldLabel, labelled } from '../../src/core/labels.ts';
import type { Reply } from '../../src/core/reply.ts';
import type { Lang } from '../../src/core/turn.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await buildEngine();
});

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

async function skuReply(text: string): Promise<{ reply: Reply; lang: Lang }> {
  const { lang, replies } = await engine.handle({ conversation: `sku-summary:${text}`, text });
  const reply = replies.find((r) => r.skus.length > 0);
  if (reply === undefined) throw new Error(`no SKUs for ${text}`);
  return { reply, lang };
}

describe.each([
  ['SMT1500J の保守型番は？', 'ja'],
  ['Which service SKUs fit the SRT1000XLJ?', 'en'],
  ['既設のSMT1500J、止められない、交換できる人はいない、4時間対応も必要、1年で', 'ja'],
])('%s', (text, expectedLang) => {
  it('the engine text names every SKU once, on its last line', async () => {
    const { reply, lang } = await skuReply(text);
    expect(lang).toBe(expectedLang);
    const last = reply.text.split('\n').at(-1)!;
    expect(last.startsWith(fieldLabel('skuSummary', lang))).toBe(true);
    for (const { sku } of reply.skus) expect(count(reply.text, sku)).toBe(1);
  });

  it('Slack, Teams and the web page show each SKU once, in the list, without that line', async () => {
    const { reply, lang } = await skuReply(text);
    const label = labelled('skuSummary', '', lang);
    const slack = renderSlack(reply, lang);
    const slackText = slack.map((m) => m.text).join('\n');
    const slackBlocks = JSON.stringify(slack.map((m) => m.blocks));
    // The card body (its fallbackText is the plain text below, for clients that cannot show cards).
    const { fallbackText: _fallback, ...card } = renderMessage(reply, lang).attachments[0].content;
    const teams = JSON.stringify(card);
    const plain = renderPlainText(reply, lang);
    const web = renderForWeb(reply, lang);
    for (const shown of [slackText, slackBlocks, teams, plain, web.text]) expect(shown).not.toContain(label);
    for (const { sku } of reply.skus) {
      expect(count(slackText, sku), `slack fallback ${sku}`).toBe(1);
      expect(count(slackBlocks, sku), `slack blocks ${sku}`).toBe(1);
      expect(count(teams, sku), `teams card ${sku}`).toBe(1);
      expect(count(plain, sku), `teams plain ${sku}`).toBe(1);
      expect(count(web.text, sku)).toBe(0);
      expect(web.display.skuTable!.rows.flat()).toContain(sku);
    }
  });
});
