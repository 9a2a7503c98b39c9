// The wall: src/core knows nothing of Slack, Teams, HTTP or the channels.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FORBIDDEN = [/from ['"]@slack\//, /from ['"]botbuilder/, /from ['"]express/, /from ['"]node:http/, /from ['"]\.\.\/(\.\.\/)*channels\//, /process\.env/];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('architecture', () => {
  it('keeps src/core free of channel, transport and environment code', () => {
    const offenders: string[] = [];
    for (const file of files(path.join(root, 'src/core'))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of FORBIDDEN) if (pattern.test(text)) offenders.push(`${path.relative(root, file)} ${pattern}`);
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the committed JSON Schema of the reply in step with the zod schema', async () => {
    const { replyJsonSchema } = await import('../../src/core/reply-json-schema.ts');
    const committed = JSON.parse(readFileSync(path.join(root, 'schemas/reply.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(replyJsonSchema());
  });
});
