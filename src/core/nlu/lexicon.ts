// intents/lexicon/synonyms.yaml: spelling variants, validated like every other data file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { KnowledgeError } from '../knowledge/load.ts';
import type { SynonymRule } from './normalize.ts';

const SynonymsFile = z
  .object({
    schemaVersion: z.literal(1),
    synonyms: z.array(z.object({ canonical: z.string().min(1), variants: z.array(z.string().min(1)).min(1) }).strict()),
  })
  .strict();

export function loadSynonyms(intentsDir: string): SynonymRule[] {
  const name = 'lexicon/synonyms.yaml';
  const parsed = SynonymsFile.safeParse(parse(readFileSync(path.join(intentsDir, name), 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(name, issue.path.join('.'), issue.message);
  }
  return parsed.data.synonyms;
}
