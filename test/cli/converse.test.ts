// The converse JSON-lines contract, through the real command (`npm run --silent converse`).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ReplySchema } from '../../src/core/reply.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function converse(input: string): { lines: string[]; stderr: string; status: number | null } {
  const result = spawnSync('npm', ['run', '--silent', 'converse'], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });
  return { lines: result.stdout.split('\n').filter((l) => l !== ''), stderr: result.stderr, status: result.status };
}

describe('converse mode', () => {
  it('prints exactly one valid JSON line per input line, and keeps going after a malformed one', () => {
    const input = [
      JSON.stringify({ conversation: 'c1', text: 'SMT1500Jの保守を選びたい', now: '2026-11-27T10:00:00+09:00' }),
      '{not json',
      JSON.stringify({ conversation: 'c1', choice: 'timing:owned' }),
      JSON.stringify({ conversation: 'c2' }),
      JSON.stringify({ conversation: 'c1', choice: 'downtime:minimize' }),
      JSON.stringify({ conversation: 'c1', choice: 'response_24x7:no', now: '2026-11-28T10:00:00+09:00' }),
    ].join('\n');
    const { lines, status } = converse(`${input}\n`);
    expect(status).toBe(0);
    expect(lines).toHaveLength(6);
    const out = lines.map((l) => JSON.parse(l) as { conversation: string | null; replies: unknown[]; error?: { code: string } });
    expect(out[1]!.error?.code).toBe('invalid_json');
    expect(out[3]).toMatchObject({ conversation: 'c2', error: { code: 'invalid_input' }, replies: [] });
    for (const o of [out[0]!, out[2]!, out[4]!, out[5]!]) {
      expect(o.conversation).toBe('c1');
      // The language the engine chose for the turn (conversation.md §5), before the replies.
      expect(Object.keys(o)).toEqual(['conversation', 'lang', 'replies']);
      expect((o as { lang?: string }).lang).toBe('ja');
      for (const r of o.replies) ReplySchema.parse(r);
    }
    const final = ReplySchema.parse(out[5]!.replies.at(-1));
    expect(final.skus.map((s) => s.sku)).toEqual(['WADVPLNIP-SU-02']);
    expect(final.recommendation).toEqual({ level: 'nbd_onsite', offerings: ['annual'], years: 1, model: 'SMT1500J' });
    // Saturday 28 Nov: closed, opens Monday 30 Nov 9:00 JST.
    expect(final.handoff).toEqual({ phone: '03-4578-4697', open: false, nextOpen: '2026-11-30T09:00:00+09:00' });
  });

  // A sample of its own (test/cli/converse-sample.jsonl): questions across the topics in
  // Japanese and English, model numbers and a SKU as typed, off-topic text, emoji, markup.
  it('answers every question of the committed sample with valid JSON lines only', () => {
    const sample = readFileSync(path.join(root, 'test/cli/converse-sample.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; text: string });
    expect(sample.length).toBeGreaterThanOrEqual(20);
    const { lines, status } = converse(sample.map((d) => JSON.stringify({ conversation: d.id, text: d.text })).join('\n') + '\n');
    expect(status).toBe(0);
    expect(lines).toHaveLength(sample.length);
    for (const [i, line] of lines.entries()) {
      const o = JSON.parse(line) as { conversation: string; lang: string; replies: unknown[] };
      expect(o.conversation).toBe(sample[i]!.id);
      expect(['ja', 'en']).toContain(o.lang);
      expect(o.replies.length).toBeGreaterThan(0);
      for (const r of o.replies) ReplySchema.parse(r);
    }
  });
});
