// .env.example, src/config.ts and the README's variable tables name the same variables, and
// .env.example's values are the defaults: copied to .env as it is, it changes nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig } from '../src/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = readFileSync(path.join(root, '.env.example'), 'utf8');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

interface Entry {
  name: string;
  value: string;
  commented: boolean;
}

/** `NAME=value` (set) and `# NAME=value` (commented out) lines. */
const entries: Entry[] = example.split('\n').flatMap((line) => {
  const m = /^(# )?([A-Za-z][A-Za-z0-9_]*)=(\S*)$/.exec(line);
  return m ? [{ name: m[2]!, value: m[3]!, commented: m[1] !== undefined }] : [];
});

/**
 * The variables of the README's tables: cells that are only `NAME`s, in columns whose header
 * says Variable or name (e.g. "Variable", "or Bot Framework name").
 */
function readmeVariables(): string[] {
  const names: string[] = [];
  let columns: boolean[] = [];
  for (const line of readme.split('\n')) {
    if (!line.startsWith('|')) {
      columns = [];
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (/^\|[-| ]+\|$/.test(line)) continue;
    if (columns.length === 0) {
      columns = cells.map((c) => /variable|\bname\b/i.test(c));
      continue;
    }
    for (const [i, cell] of cells.entries()) {
      if (columns[i] !== true || !/^`[A-Za-z_][A-Za-z0-9_]*`(, `[A-Za-z_][A-Za-z0-9_]*`)*$/.test(cell)) continue;
      names.push(...[...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    }
  }
  return names;
}

const schemaVariables = Object.keys(EnvSchema.shape).sort();
const defaults = EnvSchema.parse({}) as Record<string, unknown>;

describe('.env.example', () => {
  it('lists every variable of the config schema once, and nothing else', () => {
    const names = entries.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(schemaVariables);
  });

  it('lists the same variables as the README tables', () => {
    expect([...new Set(readmeVariables())].sort()).toEqual(schemaVariables);
    expect(readme).toContain('.env.example');
  });

  it('sets each variable that has a default to that default, and comments out the others', () => {
    for (const e of entries) {
      const d = defaults[e.name];
      if (d === undefined) expect(e.commented, e.name).toBe(true);
      else expect({ name: e.name, commented: e.commented, value: e.value }).toEqual({ name: e.name, commented: false, value: String(d) });
    }
  });

  it('gives, as a .env, the same configuration as no variables at all', () => {
    expect(loadConfig(parseEnv(example))).toEqual(loadConfig({}));
  });

  it('shows commented-out examples the schema accepts', () => {
    for (const e of entries.filter((x) => x.commented && x.value !== '')) {
      expect(EnvSchema.safeParse({ [e.name]: e.value }).success, `${e.name}=${e.value}`).toBe(true);
    }
  });

  it('has a comment with the default above every variable', () => {
    const lines = example.split('\n');
    for (const e of entries) {
      // the comment block above this entry (or above the group of entries it belongs to)
      let i = lines.findIndex((l) => l === `${e.commented ? '# ' : ''}${e.name}=${e.value}`) - 1;
      while (i >= 0 && /^(# )?[A-Za-z][A-Za-z0-9_]*=\S*$/.test(lines[i]!)) i--;
      expect(lines[i], e.name).toMatch(/^# .*Default: /);
    }
  });
});
