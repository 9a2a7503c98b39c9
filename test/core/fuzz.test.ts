// Property-based fuzzing of the whole engine: arbitrary text (unicode, control characters,
// emoji, 10 000 characters, model-number and SKU fragments) and arbitrary choice sequences
// (offered ids, forged ids, `slot:value` garbage) never make handle() throw, every reply is
// valid against ReplySchema, and no SKU outside the brochure's tables is ever printed.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { isSlotName, SLOT_VALUES } from '../../src/core/dialog/slots.ts';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../src/core/index.ts';
import { loadKnowledge } from '../../src/core/knowledge/load.ts';
import { ReplySchema, type Reply } from '../../src/core/reply.ts';
import { allPrintedSkus } from '../../src/core/sku/resolve.ts';
import { MemoryStore } from '../../src/core/store/memory-store.ts';

const kb = loadKnowledge();
const PRINTED = allPrintedSkus(kb);
const MODELS = [...new Set([...kb.tables.annual.groups, ...kb.tables.service_pack.groups].flatMap((g) => g.models))];
const SKUS = [...PRINTED];
const NOW = new Date('2026-11-27T10:00:00+09:00');
// handle() turns any internal failure into an apology; the error log is how a hidden throw shows.
const errors: string[] = [];
const errorLog = new Writable({
  write(chunk, _enc, done) {
    errors.push(String(chunk).slice(0, 2000));
    done();
  },
});
const engine = await buildEngine({ store: new MemoryStore(), clock: () => NOW, logger: pino({ level: 'error' }, errorLog) });
const say = async (turn: Parameters<typeof engine.handle>[0]) => (await engine.handle(turn)).replies;

const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇯🇵', '🔋', '⚡️', '🧑🏻‍💻'];
const WORDS = ['保守', '年間保守', 'オンサイト', 'センドバック', '止められない', '自分で交換できます', 'はい', 'いいえ', 'yes', 'no', '3年', '5年', '7年', 'SKU', '型番', '故障', '電話', 'やり直し', 'help', 'warranty'];
const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const modelFragment = fc.oneof(
  fc.constantFrom(...MODELS),
  fc.constantFrom(...MODELS).map((m) => m.toLowerCase()),
  fc.constantFrom(...MODELS).map(toFullWidth),
  fc.constantFrom(...MODELS).chain((m) => fc.nat({ max: m.length }).map((i) => m.slice(0, i))),
  fc.constantFrom(...MODELS).chain((m) => fc.constantFrom('3W', '5W', '7W', 'OS3', 'OS5', 'OS7', 'OS9', '9W').map((s) => m.replace(/-JP$/, '') + s)),
);
const skuFragment = fc.oneof(
  fc.constantFrom(...SKUS),
  fc.constantFrom(...SKUS).map((s) => s.toLowerCase()),
  fc.constantFrom(...SKUS).chain((s) => fc.nat({ max: s.length }).map((i) => s.slice(0, i))),
  // Plausible-looking SKUs that are not in any table.
  fc.constantFrom(...SKUS).map((s) => s.replace(/\d+$/, (d) => String(Number(d) + 7).padStart(d.length, '0'))),
  fc.constantFrom('WEXTWAR1YR-SU-99', 'WOE5YR-SU-09-PACK', 'WUPG4HR-XX-00'),
);
const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 20 });
const piece = fc.oneof(
  modelFragment,
  skuFragment,
  fc.constantFrom(...WORDS),
  fc.constantFrom(...EMOJI),
  controlChars,
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constantFrom(' ', '\u3000', '\n', '\u200b', '\u202e', '\ufeff', '<at>bot</at>', '<@U123>', '<!channel>', '{"a":1}', '%00', '\\u0000'),
);
const text = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.tuple(piece, fc.integer({ min: 1001, max: 10_000 })).map(([p, n]) => (p || 'あ').repeat(n).slice(0, n)) },
  { weight: 1, arbitrary: fc.constant('') },
);
const slots = ['timing', 'downtime', 'self_service', 'response_24x7', 'model', 'years', 'intent', 'continue', 'slot', ''];
const garbageChoice = fc.oneof(
  fc.tuple(fc.constantFrom(...slots), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('yes', 'no', 'owned', 'minimize', '3', '-1', '1e9', 'NaN', 'unknown', 'SMT1500J', 'out_of_scope', '__proto__'))).map(([k, v]) => `${k}:${v}`),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('intent:out_of_scope', 'intent:__proto__', 'intent:constructor', 'years:7', 'model:unknown', 'continue:yes', 'continue:no', ':', '::::'),
);

/** What the user does next: type something, click an offered button, or send a forged id. */
type Step = { kind: 'text'; text: string } | { kind: 'offered'; index: number } | { kind: 'forged'; choice: string };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => ({ kind: 'text' as const, text: t })) },
  { weight: 4, arbitrary: fc.nat({ max: 30 }).map((index) => ({ kind: 'offered' as const, index })) },
  { weight: 2, arbitrary: garbageChoice.map((choice) => ({ kind: 'forged' as const, choice })) },
);

const SKU_SHAPE = /W[A-Z0-9]{2,}-[A-Z0-9]+(?:-[A-Z0-9]+)*/g;
const alnum = (s: string) => s.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');

function checkReplies(replies: Reply[], userInput: string): void {
  expect(replies.length).toBeGreaterThan(0);
  for (const reply of replies) {
    const parsed = ReplySchema.safeParse(reply);
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    for (const line of reply.skus) expect(PRINTED.has(line.sku), line.sku).toBe(true);
    // A service-SKU-shaped token (WEXT…, WADV…, WUPG…, WOE…) in the text is always a printed
    // one, even when the user typed an invented SKU. Other W-shaped tokens may only be the
    // user's own words quoted back (an unknown model number), compared on letters and digits.
    for (const token of reply.text.normalize('NFKC').match(SKU_SHAPE) ?? []) {
      if (PRINTED.has(token)) continue;
      expect(/^W(?:EXT|ADV|UPG|OE)/.test(token), `unprinted service SKU ${token} in: ${reply.text.slice(0, 300)}`).toBe(false);
      expect(alnum(userInput), `unprinted SKU ${token} in: ${reply.text.slice(0, 300)}`).toContain(alnum(token));
    }
  }
}

let conversationNo = 0;

describe('engine fuzzing', () => {
  it('never throws, always answers with valid replies and only printed SKUs, whatever the user sends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const conversation = `fuzz:${++conversationNo}`;
        let offered: string[] = [];
        let typed = '';
        for (const s of steps) {
          let replies: Reply[];
          if (s.kind === 'text') {
            typed += `\n${s.text}`;
            replies = await say({ conversation, text: s.text, now: NOW });
          } else {
            const choice = s.kind === 'offered' ? (offered[s.index % Math.max(offered.length, 1)] ?? 'intent:help') : s.choice;
            replies = await say({ conversation, choice, now: NOW });
          }
          checkReplies(replies, typed.normalize('NFKC').toUpperCase());
          offered = replies.at(-1)!.choices.map((c) => c.id);
        }
      }),
      { numRuns: 250 },
    );
    expect(errors).toEqual([]);
  });

  it('refuses a forged choice id it did not offer, keeping the offered buttons', async () => {
    await fc.assert(
      fc.asyncProperty(garbageChoice, async (choice) => {
        const conversation = `fuzz-forged:${++conversationNo}`;
        const [welcome] = await say({ conversation, text: 'SMT1500Jの保守サービスを選びたい', now: NOW });
        const offered = welcome!.choices.map((c) => c.id);
        // A question's own answer id (`downtime:minimize`) is accepted even when not offered.
        const [slot = '', ...value] = choice.split(':');
        const answers = isSlotName(slot) && SLOT_VALUES[slot].includes(value.join(':'));
        fc.pre(!offered.includes(choice) && !answers && !/^intent:(restart|help|human_handoff|recommend_service|[a-z_]+)$/.test(choice));
        const [reply] = await say({ conversation, choice, now: NOW });
        expect(reply!.intent).toBe('help');
        expect(reply!.choices.map((c) => c.id)).toEqual(offered);
        expect(reply!.skus).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('cuts a 10 000-character message with a note instead of failing', async () => {
    const [reply] = await say({ conversation: 'fuzz-long', text: `SMT1500J ${'保守'.repeat(5000)}`, now: NOW });
    expect(ReplySchema.safeParse(reply).success).toBe(true);
    expect(reply!.text).toContain('先頭の部分だけを読みました');
    expect(errors).toEqual([]);
  });
});
