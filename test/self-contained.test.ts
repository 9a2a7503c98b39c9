// A fresh clone has nothing beside it: no test may read the project's shared folder
// (`../shared`) or any other path above the repository. Data a test needs is committed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|mjs|js)$/.test(e.name) ? [p] : [];
  });
}

describe('the tests are self-contained', () => {
  it('no test names a path in ../shared or otherwise above the repository root', () => {
    const offenders: string[] = [];
    const self = fileURLToPath(import.meta.url);
    for (const file of [...sources(path.join(root, 'test')), path.join(root, 'vitest.config.ts')]) {
      if (file === self) continue;
      const depth = path.relative(root, path.dirname(file)).split(path.sep).filter(Boolean).length;
      const text = readFileSync(file, 'utf8');
      // a string literal starting with ../shared, or path.join(…, '..', 'shared')
      if (/['"`](\.\.\/)+shared\b|['"`]\.\.['"`]\s*,\s*['"`]shared['"`]/.test(text)) offenders.push(path.relative(root, file));
      // a relative path climbing more levels than the file is deep (out of the repository)
      const climb = new RegExp(`['"\`](\\.\\./){${depth + 1},}`);
      if (climb.test(text)) offenders.push(path.relative(root, file));
    }
    expect(offenders).toEqual([]);
  });
});
