// botbuilder 4.23 is the Bot Framework SDK's last release: only adapter.ts may touch it, so a
// move to its successor rewrites one file. The core never sees any of it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SDK_IMPORT = /from\s+['"](botbuilder|botframework-[\w-]+)['"]/;

function sources(dir: URL): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => {
      const path = `${e.parentPath ?? (e as unknown as { path: string }).path}/${e.name}`;
      return { path, text: readFileSync(path, 'utf8') };
    });
}

describe('Bot Framework SDK boundary', () => {
  it('is imported by src/channels/teams/adapter.ts only', () => {
    const users = sources(new URL('../../../src/', import.meta.url))
      .filter((f) => SDK_IMPORT.test(f.text))
      .map((f) => f.path.replace(/^.*\/src\//, 'src/'));
    expect(users).toEqual(['src/channels/teams/adapter.ts']);
  });
});
