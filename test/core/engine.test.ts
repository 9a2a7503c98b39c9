// Engine behaviour that transcripts cannot show: store outages, ordering of concurrent
// turns, language, the welcome reply, and state that survives in the store.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildEngine, type Engine, type Turn } from '../../src/core/index.ts';
import { ReplySchema } from '../../src/core/reply.ts';
import { MemoryStore } from '../../src/core/store/memory-store.ts';
import type { KeyValueStore } from '../../src/core/store/store.ts';

/** A store whose backing service can be switched off, like Redis going away. */
class FlakyStore implements KeyValueStore {
  down = false;
  readonly inner = new MemoryStore();
  #check() {
    if (this.down) throw new Error('connection refused');
  }
  async get<T>(key: string) { this.#check(); return this.inner.get<T>(key); }
  async set(key: string, value: unknown, ttl: number) { this.#check(); return this.inner.set(key, value, ttl); }
  async delete(key: string) { this.#check(); return this.inner.delete(key); }
  async setIfAbsent(key: string, value: unknown, ttl: number) { this.#check(); return this.inner.setIfAbsent(key, value, ttl); }
  async ping() { return !this.down; }
  async close() {}
}

const now = new Date('2026-11-27T10:00:00+09:00');
/** The replies of one turn. */
const say = async (engine: Engine, turn: Turn) => (await engine.handle(turn)).replies;

describe('engine', () => {
  it('answers politely with the call center while the store is down, and recovers by itself', async () => {
    const store = new FlakyStore();
    const engine = await buildEngine({ store });
    const first = await say(engine, { conversation: 'c', text: 'SMT1500Jの保守を選びたい', now });
    expect(first[0]!.choices.map((c) => c.id)).toContain('timing:owned');

    store.down = true;
    const during = await say(engine, { conversation: 'c', choice: 'timing:owned', now });
    expect(during).toHaveLength(1);
    ReplySchema.parse(during[0]);
    expect(during[0]!.text).toContain('一時的');
    expect(during[0]!.handoff).toMatchObject({ phone: '03-4578-4697', open: true });

    store.down = false;
    const after = await say(engine, { conversation: 'c', choice: 'timing:owned', now });
    expect(after[0]!.choices.map((c) => c.id)).toContain('downtime:minimize');
  });

  it('handles concurrent turns of one conversation one after the other, in arrival order', async () => {
    // Reads that take a while: without ordering, later turns would read stale state.
    const slowStore = new FlakyStore();
    const get = slowStore.get.bind(slowStore);
    slowStore.get = async <T,>(key: string) => {
      await new Promise((r) => setTimeout(r, 5));
      return get<T>(key);
    };
    const engine = await buildEngine({ store: slowStore });
    const turns = [
      say(engine, { conversation: 'x', text: 'SMT1500Jの保守を選びたい', now }),
      say(engine, { conversation: 'x', choice: 'timing:owned', now }),
      say(engine, { conversation: 'x', choice: 'downtime:minimize', now }),
      say(engine, { conversation: 'x', choice: 'response_24x7:no', now }),
    ];
    const results = await Promise.all(turns);
    expect(results[3]![0]!.skus.map((s) => s.sku)).toEqual(['WADVPLNIP-SU-02']);
  });

  it('keeps conversations independent', async () => {
    const engine = await buildEngine();
    await say(engine, { conversation: 'a', text: 'SMT750Jの保守を選びたい', now });
    // b answers a question by its id: a dialog of its own starts, knowing nothing of a's model.
    await say(engine, { conversation: 'b', choice: 'timing:owned', now });
    const other = await say(engine, { conversation: 'b', choice: 'downtime:minimize', now });
    expect(other.at(-1)!.choices.map((c) => c.id)).toContain('model:unknown');
    expect(other.map((r) => r.text).join('\n')).not.toContain('SMT750J');
  });

  it('continues a conversation from the store alone (a restarted or second instance)', async () => {
    const store = new MemoryStore();
    const one = await buildEngine({ store });
    await say(one, { conversation: 'shared', text: 'SMT1500Jの保守を選びたい', now });
    await say(one, { conversation: 'shared', choice: 'timing:owned', now });
    const two = await buildEngine({ store });
    const reply = await say(two, { conversation: 'shared', choice: 'downtime:minimize', now });
    expect(reply[0]!.choices.map((c) => c.id)).toContain('response_24x7:no');
  });

  it('answers in English when the user writes English, in Japanese otherwise', async () => {
    const engine = await buildEngine();
    const en = await say(engine, { conversation: 'l1', text: 'How do I apply for annual maintenance?', now });
    expect(en[0]!.intent).toBe('annual_application');
    expect(en[0]!.text).toMatch(/service\.hoshu@se\.com/);
    expect(en[0]!.text).not.toMatch(/です|ます/);
    const ja = await say(engine, { conversation: 'l2', text: '年間保守の申し込みは？', now });
    expect(ja[0]!.text).toMatch(/です|ます/);
  });

  it('returns the language it chose with the replies, and keeps it unless a whole sentence says otherwise', async () => {
    const engine = await buildEngine();
    const turn = (conversation: string, text: string, locale?: 'ja' | 'en') => engine.handle({ conversation, text, now, ...(locale ? { locale } : {}) });
    expect((await turn('g1', '無償保証の内容は？')).lang).toBe('ja');
    // A Japanese conversation (or page) stays Japanese for a word, gibberish or a model number.
    for (const text of ['yes', 'asdfghjk', 'OK', 'SMT1500J', 'thanks']) {
      const result = await turn('g1', text);
      expect(result.lang, text).toBe('ja');
      expect(result.replies.map((r) => r.text).join(''), text).toMatch(/[ぁ-ん]/);
    }
    expect((await turn('g2', 'asdfghjk', 'ja')).lang).toBe('ja');
    // A whole English sentence switches, and the conversation then stays English.
    expect((await turn('g1', 'How do I apply for annual maintenance?')).lang).toBe('en');
    expect((await turn('g1', 'SMT1500J')).lang).toBe('en');
    // After a Japanese turn, an English page (locale en) sending a model number gets Japanese.
    await turn('g3', '年間保守について教えて', 'en');
    expect((await turn('g3', 'SMT1500J', 'en')).lang).toBe('ja');
    // With nothing known yet (Slack, the terminal), any English word means English.
    expect((await turn('g4', 'hello')).lang).toBe('en');
    expect((await turn('g5', 'yes', 'ja')).lang).toBe('ja');
  });

  it('cuts very long text with a note instead of rejecting it, and strips control characters', async () => {
    const engine = await buildEngine();
    const long = `無償保証の内容を教えて\u0007${'あ'.repeat(20_000)}`;
    const replies = await say(engine, { conversation: 'long', text: long, now });
    ReplySchema.parse(replies[0]);
    expect(replies[0]!.text).toContain('先頭の部分だけ');
  });

  it('welcomes with the topic menu and the call-center status', async () => {
    const engine = await buildEngine();
    const welcome = engine.welcome('ja', new Date('2026-11-28T10:00:00+09:00'));
    ReplySchema.parse(welcome);
    expect(welcome.choices.map((c) => c.id)).toContain('intent:recommend_service');
    expect(welcome.handoff).toEqual({ phone: '03-4578-4697', open: false, nextOpen: '2026-11-30T09:00:00+09:00' });
  });
});

describe('turn logs', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    return { lines, logger: pino({ level: 'info' }, stream) };
  }

  it('writes one JSON line per turn with intent, confidence, latency and outcome, without user text by default', async () => {
    const { lines, logger } = capture();
    const engine = await buildEngine({ logger });
    await say(engine, { conversation: 'log-1', text: '秘密のサーバー室の無償保証について', now });
    await say(engine, { conversation: 'log-1', choice: 'intent:contact', now });
    const turns = lines.filter((l) => l.msg === 'turn');
    expect(turns).toHaveLength(2);
    expect(turns[0]).toMatchObject({ conversation: 'log-1', kind: 'text', outcome: 'answered' });
    expect(typeof turns[0]!.confidence).toBe('number');
    expect(typeof turns[0]!.latencyMs).toBe('number');
    expect(turns[1]).toMatchObject({ kind: 'choice', choice: 'intent:contact', intent: 'contact', handoff: true });
    expect(JSON.stringify(lines)).not.toContain('秘密のサーバー室');
  });

  it('includes user text only when asked to', async () => {
    const { lines, logger } = capture();
    const engine = await buildEngine({ logger, logUserText: true });
    await say(engine, { conversation: 'log-2', text: '年間保守の申込方法', now });
    expect(lines.find((l) => l.msg === 'turn')).toMatchObject({ text: '年間保守の申込方法' });
  });
});
