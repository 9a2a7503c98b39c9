// The terminal chat: numbered choices and typed answers through to a recommendation.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

it('walks a recommendation with numbered choices and typed answers, then quits', () => {
  const input = ['1', '2', '止められない', 'SMT1500J', '2', '/restart', '/quit', ''].join('\n');
  const result = spawnSync('npm', ['run', '--silent', 'chat'], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('→ 翌営業日対応で十分');
  expect(result.stdout).toContain('サービス型番（SMT1500J）');
  expect(result.stdout).toContain('■ WADVPLNIP-SU-02  年間保守サービス・翌営業日オンサイト・1年');
  // /restart shows the menu again before /quit ends the session.
  expect(result.stdout.split('[1] おすすめ保守診断').length - 1).toBe(2);
});
