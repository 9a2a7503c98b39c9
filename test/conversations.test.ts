// Replays the transcripts in test/conversations/*.yaml through the real engine: each turn's
// reply is checked against the reply schema and the expectations written in the file.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildEngine, type Engine } from '../src/core/index.ts';
import { loadKnowledge } from '../src/core/knowledge/load.ts';
import { IntentIdSchema, ReplySchema, type Reply } from '../src/core/reply.ts';
import { allPrintedSkus } from '../src/core/sku/resolve.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, 'conversations');

const Expect = z
  .object({
    intent: z.union([IntentIdSchema, z.null()]).optional(),
    /** The guided dialog asks this slot: a choice id `<slot>:…` is offered. */
    ask: z.string().optional(),
    choices_include: z.array(z.string()).optional(),
    choices_exclude: z.array(z.string()).optional(),
    skus: z.array(z.string()).optional(),
    recommendation: z.union([z.null(), z.record(z.string(), z.unknown())]).optional(),
    handoff: z.boolean().optional(),
    open: z.boolean().optional(),
    text_includes: z.array(z.string()).optional(),
    text_excludes: z.array(z.string()).optional(),
    links_include: z.array(z.string()).optional(),
  })
  .strict();

const Transcript = z
  .object({
    name: z.string(),
    now: z.string().optional(),
    locale: z.enum(['ja', 'en']).optional(),
    turns: z
      .array(
        z
          .object({ user: z.string().optional(), choice: z.string().optional(), expect: Expect })
          .strict()
          .refine((t) => (t.user === undefined) !== (t.choice === undefined), 'a turn has either user or choice'),
      )
      .min(1),
  })
  .strict();

function check(reply: Reply, e: z.infer<typeof Expect>, where: string): void {
  const ids = reply.choices.map((c) => c.id);
  if (e.intent !== undefined) expect(reply.intent, `${where}: intent`).toBe(e.intent);
  if (e.ask !== undefined) expect(ids.some((id) => id.startsWith(`${e.ask}:`)), `${where}: asks ${e.ask}, offered ${ids.join(', ')}`).toBe(true);
  for (const id of e.choices_include ?? []) expect(ids, `${where}: choices`).toContain(id);
  for (const id of e.choices_exclude ?? []) expect(ids, `${where}: choices`).not.toContain(id);
  if (e.skus !== undefined) expect(reply.skus.map((s) => s.sku), `${where}: skus`).toEqual(e.skus);
  if (e.recommendation === null) expect(reply.recommendation, `${where}: recommendation`).toBeNull();
  else if (e.recommendation !== undefined) expect(reply.recommendation, `${where}: recommendation`).toMatchObject(e.recommendation);
  if (e.handoff !== undefined) expect(reply.handoff !== null, `${where}: handoff`).toBe(e.handoff);
  if (e.open !== undefined) expect(reply.handoff?.open, `${where}: open`).toBe(e.open);
  for (const s of e.text_includes ?? []) expect(reply.text, `${where}: text`).toContain(s);
  for (const s of e.text_excludes ?? []) expect(reply.text, `${where}: text`).not.toContain(s);
  for (const u of e.links_include ?? []) expect(reply.links.map((l) => l.url), `${where}: links`).toContain(u);
}

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('conversation transcripts', () => {
  let engine: Engine;
  let printed: Set<string>;
  beforeAll(async () => {
    engine = await buildEngine();
    printed = allPrintedSkus(loadKnowledge());
  });

  it('has transcripts to replay', () => {
    const count = files.reduce((n, f) => n + (parse(readFileSync(path.join(dir, f), 'utf8')) as unknown[]).length, 0);
    expect(count).toBeGreaterThanOrEqual(25);
  });

  for (const file of files) {
    const docs = parse(readFileSync(path.join(dir, file), 'utf8')) as unknown[];
    for (const [i, doc] of docs.entries()) {
      const transcript = Transcript.parse(doc);
      it(`${file}: ${transcript.name}`, async () => {
        const conversation = `${file}#${i}`;
        for (const [n, turn] of transcript.turns.entries()) {
          const replies = await engine.handle({
            conversation,
            ...(turn.user !== undefined ? { text: turn.user } : { choice: turn.choice! }),
            ...(transcript.now ? { now: new Date(transcript.now) } : {}),
            ...(transcript.locale ? { locale: transcript.locale } : {}),
          });
          expect(replies.length).toBeGreaterThan(0);
          for (const r of replies) {
            ReplySchema.parse(r);
            for (const s of r.skus) expect(printed.has(s.sku), `SKU ${s.sku} is printed in the tables`).toBe(true);
          }
          check(replies.at(-1)!, turn.expect, `turn ${n + 1} (${turn.user ?? turn.choice})`);
        }
      });

      // At every prompt of the dialog, "start over" and "a person, please" must work.
      it(`${file}: ${transcript.name} — restart and handoff at every prompt`, async () => {
        const send = (conversation: string, turn: { user?: string; choice?: string }) =>
          engine.handle({
            conversation,
            ...(turn.user !== undefined ? { text: turn.user } : { choice: turn.choice! }),
            ...(transcript.now ? { now: new Date(transcript.now) } : {}),
            ...(transcript.locale ? { locale: transcript.locale } : {}),
          });
        const en = transcript.locale === 'en' || /^[\x00-\x7f]*$/.test(transcript.turns[0]?.user ?? '');
        for (let n = 0; n < transcript.turns.length; n++) {
          const prefix = transcript.turns.slice(0, n + 1);
          for (const [kind, text] of [['restart', en ? 'Start over, please' : '最初からやり直したい'], ['handoff', en ? 'Can I talk to a person?' : '担当者と話したい']] as const) {
            const conversation = `${file}#${i}@${n}:${kind}`;
            let last: Reply | undefined;
            for (const turn of prefix) last = (await send(conversation, turn)).at(-1);
            if (!last?.choices.some((c) => /^(timing|downtime|self_service|model|response_24x7|years):/.test(c.id))) break;
            const reply = (await send(conversation, { user: text })).at(-1)!;
            const where = `after turn ${n + 1}, "${text}"`;
            if (kind === 'restart') {
              expect(reply.intent, where).toBe('restart');
              // Nothing of the old dialog survives: a new request asks from the first question.
              const next = (await send(conversation, { user: en ? 'Which maintenance service should I choose?' : 'どの保守サービスを選べばいい？' })).at(-1)!;
              expect(next.choices.map((c) => c.id), `${where}: starts afresh`).toContain('timing:new_purchase');
            } else {
              expect(reply.handoff, where).not.toBeNull();
              expect(reply.text, where).toContain('03-4578-4697');
            }
          }
        }
      });
    }
  }
});
