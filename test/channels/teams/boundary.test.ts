// The Microsoft 365 Agents SDK is known to adapter.ts only, so a move to another SDK rewrites
// one file; the archived Bot Framework SDK is gone. The core never sees any of it.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SDK_IMPORT = /from\s+['"](@microsoft\/agents-[\w-]+|botbuilder[\w-]*|botframework-[\w-]+)['"]/;
const BOT_FRAMEWORK = /['"](botbuilder[\w-]*|botframework-[\w-]+)['"]/;

function sources(dir: URL): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => {
      const path = `${e.parentPath ?? (e as unknown as { path: string }).path}/${e.name}`;
      return { path, text: readFileSync(path, 'utf8') };
    });
}

describe('Agents SDK boundary', () => {
  it('is imported by src/channels/teams/adapter.ts only', () => {
    const users = sources(new URL('../../../src/', import.meta.url))
      .filter((f) => SDK_IMPORT.test(f.text))
      .map((f) => f.path.replace(/^.*\/src\//, 'src/'));
    expect(users).toEqual(['src/channels/teams/adapter.ts']);
  });

  it('leaves no trace of the Bot Framework SDK in the sources, the bench or the dependencies', () => {
    const files = [...sources(new URL('../../../src/', import.meta.url)), ...sources(new URL('../../../bench/', import.meta.url))];
    expect(files.filter((f) => BOT_FRAMEWORK.test(f.text)).map((f) => f.path)).toEqual([]);
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
    const names = Object.keys({ ...manifest['dependencies'], ...manifest['devDependencies'] });
    expect(names.filter((n) => BOT_FRAMEWORK.test(`'${n}'`))).toEqual([]);
    expect(names.filter((n) => n.startsWith('@microsoft/agents-')).sort()).toEqual(['@microsoft/agents-activity', '@microsoft/agents-hosting']);
  });

  it('leaves none of the Bot Framework chain in the lock file (the packages that carried the advisories)', () => {
    const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8')) as { packages: Record<string, { version?: string }> };
    const installed = Object.entries(lock.packages).map(([path, p]) => ({ name: path.replace(/^.*node_modules\//, ''), version: p.version ?? '' }));
    expect(installed.filter((p) => /^(botbuilder|botframework-)/.test(p.name))).toEqual([]);
    const major = (name: string) => installed.filter((p) => p.name === name).map((p) => Number(p.version.split('.')[0]));
    // botbuilder brought adaptivecards 1.2, @azure/msal-node 2 (with uuid 8), ws 7 and axios (none left).
    expect(major('adaptivecards').every((m) => m >= 3)).toBe(true);
    expect(major('@azure/msal-node').every((m) => m >= 5)).toBe(true);
    expect(major('ws').every((m) => m >= 8)).toBe(true);
  });
});
