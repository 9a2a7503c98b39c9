// The three renderers on the real engine's replies (every FAQ answer, every dialog ending, SKU
// lists, handoffs; Japanese and English): each shows the reply in one shape — the answer text,
// each SKU once with the model named once, the call-center box from `handoff` — and labels it
// in the language the engine chose, never one guessed from the text.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReply, type SlackMessage } from '../../src/channels/slack/render.ts';
import { renderMessage, type TeamsMessage } from '../../src/channels/teams/render.ts';
import { renderForWeb } from '../../src/channels/web/render.ts';
import { buildEngine } from '../../src/core/index.ts';
import type { Reply } from '../../src/core/reply.ts';
import { dialogEndings, faqEndings, otherEndings, type Ending } from '../core/reply-shape.ts';
import { AdaptiveCard15Schema, elementsOf } from './teams/adaptive-card-schema.ts';

let endings: Ending[];
beforeAll(async () => {
  const engine = await buildEngine();
  endings = [...(await faqEndings(engine)), ...(await otherEndings(engine)), ...(await dialogEndings(engine))];
}, 60_000);

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;
const withSkus = () => endings.flatMap((e) => e.replies.filter((r) => r.skus.length > 0).map((reply) => ({ e, reply })));
const withHandoff = () => endings.flatMap((e) => e.replies.filter((r) => r.handoff !== null).map((reply) => ({ e, reply })));
const where = (e: Ending) => `${e.lang} ${e.name}`;

function slackText(messages: SlackMessage[]): string {
  return JSON.stringify(messages.map((m) => m.blocks));
}

function teamsTexts(message: TeamsMessage): string {
  return JSON.stringify(message.attachments[0].content.body);
}

/** How many times the reply's own text mentions a string (the rest is the renderer's). */
const inText = (reply: Reply, s: string) => count(reply.text, s);

describe('renderers on the real engine replies', () => {
  it('has SKU lists, handoffs and both languages to render', () => {
    expect(withSkus().length).toBeGreaterThan(50);
    expect(withHandoff().length).toBeGreaterThan(50);
    expect(new Set(withSkus().map(({ e }) => e.lang))).toEqual(new Set(['ja', 'en']));
  });

  it('Slack: every SKU once, the model once in the list title, labels in the turn language', () => {
    for (const { e, reply } of withSkus()) {
      const blocks = slackText(renderReply(reply, e.lang));
      for (const sku of new Set(reply.skus.map((s) => s.sku))) {
        const rows = reply.skus.filter((s) => s.sku === sku).length;
        expect(count(blocks, `\`${sku}\``), `${where(e)} ${sku}`).toBe(rows);
      }
      const models = new Set(reply.skus.map((s) => s.model));
      if (models.size === 1) {
        const [model] = models;
        expect(blocks, where(e)).toContain(e.lang === 'ja' ? `サービス型番（${model}）` : `Service SKUs (${model})`);
        // Named by the text and the list title, not again on every line.
        expect(count(blocks, model!) - inText(reply, model!), where(e)).toBe(1);
      }
      if (e.lang === 'en') expect(blocks, where(e)).not.toMatch(/年間保守サービス|サービスパック|年/);
      else expect(blocks, where(e)).toMatch(/年間保守サービス|サービスパック/);
    }
  });

  it('Teams: every SKU once as a fact, the model once in the list title, a valid card', () => {
    for (const { e, reply } of withSkus()) {
      const message = renderMessage(reply, e.lang);
      const card = message.attachments[0].content;
      expect(AdaptiveCard15Schema.safeParse(card).success, where(e)).toBe(true);
      const facts = elementsOf(card).filter((x) => x['type'] === 'FactSet').flatMap((x) => x['facts'] as { title: string; value: string }[]);
      expect(facts.map((f) => f.title), where(e)).toEqual(reply.skus.map((s) => s.sku));
      const models = new Set(reply.skus.map((s) => s.model));
      if (models.size === 1) {
        const [model] = models;
        expect(count(teamsTexts(message), model!) - inText(reply, model!), where(e)).toBe(1);
      }
      if (e.lang === 'en') expect(JSON.stringify(facts), where(e)).not.toMatch(/[ぁ-んァ-ヶ]/);
    }
  });

  it('web: the SKU first in every row, one row per SKU line, the model column only when it varies', () => {
    for (const { e, reply } of withSkus()) {
      const table = renderForWeb(reply, e.lang).display.skuTable!;
      expect(table.rows.map((r) => r[0]), where(e)).toEqual(reply.skus.map((s) => s.sku));
      const models = new Set(reply.skus.map((s) => s.model));
      expect(table.columns.length, where(e)).toBe(models.size === 1 ? 2 : 3);
    }
  });

  it('all three show the call-center box from `handoff`, with the number dialable, in the turn language', () => {
    for (const { e, reply } of withHandoff()) {
      const phone = reply.handoff!.phone;
      const slack = renderReply(reply, e.lang);
      const box = slack.flatMap((m) => m.blocks).find((b) => b.block_id === 'ups_handoff');
      expect(JSON.stringify(box), where(e)).toContain(phone);
      expect(JSON.stringify(box), where(e)).toContain(e.lang === 'ja' ? 'コールセンター：' : 'Call center: ');
      const card = renderMessage(reply, e.lang).attachments[0].content;
      expect(JSON.stringify(card), where(e)).toContain('tel:0345784697');
      const web = renderForWeb(reply, e.lang).display.handoff!;
      expect(web.href, where(e)).toBe('tel:0345784697');
      expect(web.status, where(e)).toBe(e.lang === 'ja' ? (reply.handoff!.open ? '受付中です' : '現在は受付時間外です') : reply.handoff!.open ? 'Open now' : 'Closed now');
    }
  });

  it('labels follow the engine language even when the text looks like the other one', () => {
    const { e, reply } = withSkus().find(({ e: x }) => x.lang === 'ja')!;
    const english = renderReply(reply, 'en');
    expect(slackText(english), where(e)).toContain('Service SKUs');
    expect(teamsTexts(renderMessage(reply, 'en')), where(e)).toContain('Service SKUs');
    expect(renderForWeb(reply, 'en').display.skuTable!.columns[0]).toBe('SKU');
  });
});
