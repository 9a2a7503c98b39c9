// Every card the real engine renders, checked offline by the vendor's own definitions: the
// `adaptivecards` library's parser (Microsoft's reference implementation) at version 1.5, and
// the published Adaptive Card 1.5 JSON schema when a copy of it is provided (see below). The
// cards come from every turn of test/conversations/*.yaml, the welcome and the apology, in
// Japanese and English.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as AC from 'adaptivecards';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderMessage } from '../../../src/channels/teams/render.ts';
import { buildEngine, type Lang, type Reply } from '../../../src/core/index.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
/**
 * Microsoft's schema (github.com/microsoft/AdaptiveCards, schemas/1.5.0/adaptive-card.json)
 * is not committed here, and no test reads outside the repository: ADAPTIVE_CARD_SCHEMA may
 * name a copy. Without it that one test is skipped, saying so in its name.
 */
const SCHEMA_FILE = process.env['ADAPTIVE_CARD_SCHEMA'] ?? '';

interface Transcript {
  name: string;
  now?: string;
  turns: { user?: string; choice?: string; locale?: 'ja' | 'en' }[];
}

let cards: { where: string; card: Record<string, unknown> }[] = [];

beforeAll(async () => {
  const replies: { where: string; reply: Reply; lang: Lang }[] = [];
  const dir = resolve(ROOT, 'test/conversations');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const transcripts = parseYaml(readFileSync(resolve(dir, file), 'utf8')) as Transcript[];
    for (const [t, transcript] of transcripts.entries()) {
      const now = new Date(transcript.now ?? '2026-11-27T10:00:00+09:00');
      const engine = await buildEngine({ clock: () => now });
      for (const [i, turn] of transcript.turns.entries()) {
        const input = turn.choice !== undefined ? { choice: turn.choice } : { text: turn.user ?? '' };
        const out = await engine.handle({ conversation: `cards-${file}-${t}`, ...input, ...(turn.locale ? { locale: turn.locale } : {}) });
        for (const reply of out.replies) replies.push({ where: `${file} › ${transcript.name} › turn ${i + 1}`, reply, lang: out.lang });
      }
    }
  }
  const engine = await buildEngine({ clock: () => new Date('2026-11-28T10:00:00+09:00') });
  for (const lang of ['ja', 'en'] as const) {
    replies.push({ where: `welcome (${lang})`, reply: engine.welcome(lang), lang });
    replies.push({ where: `apology (${lang})`, reply: engine.failureReply(lang), lang });
  }
  cards = replies.map(({ where, reply, lang }) => ({ where, card: renderMessage(reply, lang).attachments[0].content as unknown as Record<string, unknown> }));
});

describe('cards of the real engine', () => {
  it('are many and of every kind we render', () => {
    expect(cards.length).toBeGreaterThan(40);
    const kinds = new Set(cards.flatMap(({ card }) => JSON.stringify(card).match(/"type":"[A-Za-z.]+"/g) ?? []));
    for (const kind of ['TextBlock', 'FactSet', 'ActionSet', 'Container', 'Action.Submit', 'Action.OpenUrl']) expect(kinds).toContain(`"type":"${kind}"`);
  });

  it('parse without a single warning in the adaptivecards library, targeting version 1.5', () => {
    for (const { where, card } of cards) {
      const parsed = new AC.AdaptiveCard();
      const context = new AC.SerializationContext(AC.Versions.v1_5);
      parsed.parse(card, context);
      const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
      expect(events, where).toEqual([]);
      expect(parsed.validateProperties().validationEvents.map((e) => e.message), where).toEqual([]);
      // Nothing was dropped: the parser's own serialisation has the same elements and actions.
      const again = parsed.toJSON(new AC.SerializationContext(AC.Versions.v1_5)) as Record<string, unknown>;
      expect(typesOf(again['body']), where).toEqual(typesOf(card['body']));
    }
  });

  it('the library notices what it should (so the check above can fail)', () => {
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    new AC.AdaptiveCard().parse({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Carousel', pages: [] }, { type: 'TextBlock', text: 'x', size: 'enormous' }] }, context);
    expect(context.eventCount).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(SCHEMA_FILE === '' || !existsSync(SCHEMA_FILE))(`are valid against Microsoft's Adaptive Card 1.5 JSON schema (${SCHEMA_FILE || 'set ADAPTIVE_CARD_SCHEMA'})`, () => {
    const validate = compileSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>);
    for (const { where, card } of cards) {
      const ok = validate(card);
      expect(ok ? [] : validate.errors?.slice(0, 5), where).toEqual([]);
    }
    // …and a card with an unknown property is not.
    expect(validate({ ...cards[0]!.card, colour: 'green' })).toBe(false);
  });
});

/** The schema as published, with the one root key Teams adds allowed (msteams: { width }). */
function compileSchema(schema: Record<string, unknown>) {
  const { id: _id, $schema: _draft, ...rest } = schema;
  const definitions = rest['definitions'] as Record<string, { properties: Record<string, unknown> }>;
  definitions['AdaptiveCard']!.properties['msteams'] = { type: 'object' };
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv.compile(rest);
}

function typesOf(items: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (typeof record['type'] === 'string') out.push(record['type']);
    walk(record['items']);
    walk(record['actions']);
  };
  walk(items);
  return out;
}
