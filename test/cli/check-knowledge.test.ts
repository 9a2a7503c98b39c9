// `npm run check-knowledge`: a summary for the real data, the precise error for broken data.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(env: Record<string, string> = {}) {
  return spawnSync('npm', ['run', '--silent', 'check-knowledge'], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
}

describe('check-knowledge', () => {
  it('prints the counts of topics, models and SKUs', () => {
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('knowledge OK');
    expect(result.stdout).toMatch(/intents: 27/);
    expect(result.stdout).toMatch(/models: 22 \(annual table 21, service pack table 10\)/);
    expect(result.stdout).toMatch(/SKUs: 28 distinct/);
  });

  it('fails with file, path and problem for a duplicate SKU', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-'));
    cpSync(path.join(root, 'knowledge'), dir, { recursive: true });
    const file = path.join(dir, 'sku-annual.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('sendback_1y: WEXTIYR-SU-03', 'sendback_1y: WEXTIYR-SU-02'));
    const result = run({ KNOWLEDGE_DIR: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('knowledge INVALID: sku-annual.yaml at groups.3.cells.sendback_1y: duplicate SKU WEXTIYR-SU-02');
  });
});
