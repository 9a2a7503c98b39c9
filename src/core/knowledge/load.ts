// Loads and validates knowledge/ and intents/ at start. Refuses invalid data with a precise
// message: the file, the path inside it, and what is wrong.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../paths.ts';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { INTENT_IDS, type IntentId } from '../reply.ts';
import {
  AnswersFile,
  ContactFile,
  IntentExamplesFile,
  MessagesFile,
  ServicesFile,
  SkuTableFile,
} from './schema.ts';
import { REQUIRED_MESSAGES } from './messages.ts';

export const DEFAULT_KNOWLEDGE_DIR = projectPath('knowledge');
export const DEFAULT_INTENTS_DIR = projectPath('intents');

export interface KnowledgeBase {
  answers: AnswersFile['answers'];
  menu: AnswersFile['menu'];
  services: ServicesFile;
  contact: ContactFile;
  messages: MessagesFile['messages'];
  tables: { annual: SkuTableFile; service_pack: SkuTableFile };
}

export type IntentExamples = Map<IntentId, { ja: string[]; en: string[] }>;

export class KnowledgeError extends Error {
  readonly code = 'knowledge_invalid';
  constructor(
    readonly file: string,
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${file}${where ? ` at ${where}` : ''}: ${problem}`);
    this.name = 'KnowledgeError';
  }
}

export function readYaml<S extends z.ZodType>(dir: string, name: string, schema: S): z.infer<S> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new KnowledgeError(name, '', 'file is missing or unreadable');
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new KnowledgeError(name, '', `not valid YAML: ${doc.errors[0]!.message}`);
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeError(name, issue.path.join('.') || '(root)', issue.message);
  }
  return parsed.data;
}

export function loadKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): KnowledgeBase {
  const answersFile = readYaml(dir, 'answers.yaml', AnswersFile);
  const kb: KnowledgeBase = {
    answers: answersFile.answers,
    menu: answersFile.menu,
    services: readYaml(dir, 'services.yaml', ServicesFile),
    contact: readYaml(dir, 'contact.yaml', ContactFile),
    messages: readYaml(dir, 'messages.yaml', MessagesFile).messages,
    tables: {
      annual: readYaml(dir, 'sku-annual.yaml', SkuTableFile),
      service_pack: readYaml(dir, 'sku-service-pack.yaml', SkuTableFile),
    },
  };
  crossCheck(kb);
  return kb;
}

/** Consistency across files, in the spirit of `rasa data validate`. */
function crossCheck(kb: KnowledgeBase): void {
  const known = new Set<string>(INTENT_IDS);
  for (const id of Object.keys(kb.answers)) {
    if (!known.has(id)) throw new KnowledgeError('answers.yaml', `answers.${id}`, `unknown intent id "${id}"`);
  }
  for (const id of INTENT_IDS) {
    if (!(id in kb.answers)) throw new KnowledgeError('answers.yaml', `answers.${id}`, `intent "${id}" of the catalogue has no answer`);
  }
  kb.menu.forEach((m, i) => {
    if (!(m.intent in kb.answers)) throw new KnowledgeError('answers.yaml', `menu.${i}.intent`, `no answer for "${m.intent}"`);
  });
  for (const key of REQUIRED_MESSAGES) {
    if (!(key in kb.messages)) throw new KnowledgeError('messages.yaml', `messages.${key}`, 'required message is missing');
  }

  const seenSku = new Map<string, string>();
  for (const [file, table] of [
    ['sku-annual.yaml', kb.tables.annual],
    ['sku-service-pack.yaml', kb.tables.service_pack],
  ] as const) {
    if (table.table !== (file === 'sku-annual.yaml' ? 'annual' : 'service_pack')) {
      throw new KnowledgeError(file, 'table', `expected the ${file === 'sku-annual.yaml' ? 'annual' : 'service_pack'} table`);
    }
    const columnIds = new Set(table.columns.map((c) => c.id));
    table.columns.forEach((c, i) => {
      if (c.upgradeOf !== undefined && !columnIds.has(c.upgradeOf)) {
        throw new KnowledgeError(file, `columns.${i}.upgradeOf`, `unknown column "${c.upgradeOf}"`);
      }
    });
    const modelGroup = new Map<string, string>();
    table.groups.forEach((g, gi) => {
      g.models.forEach((m, mi) => {
        const other = modelGroup.get(m);
        if (other !== undefined) throw new KnowledgeError(file, `groups.${gi}.models.${mi}`, `model ${m} is already in group ${other}`);
        modelGroup.set(m, g.id);
      });
      for (const col of columnIds) {
        if (!(col in g.cells)) throw new KnowledgeError(file, `groups.${gi}.cells.${col}`, 'cell is missing (write "-" for not offered)');
      }
      for (const [col, sku] of Object.entries(g.cells)) {
        const where = `groups.${gi}.cells.${col}`;
        if (!columnIds.has(col)) throw new KnowledgeError(file, where, `unknown column "${col}"`);
        if (sku === '-') continue;
        const cell = `${file} ${g.id}/${col}`;
        const previous = seenSku.get(sku);
        if (previous !== undefined && !table.sharedSkus.includes(sku)) {
          throw new KnowledgeError(file, where, `duplicate SKU ${sku} (also in ${previous})`);
        }
        seenSku.set(sku, previous ?? cell);
      }
    });
  }
}

/** intents/ files that are not an intent's examples (slot phrases, read by understand/). */
const NOT_INTENT_FILES = new Set(['slots.yaml']);

/** Loads intents/<id>.yaml: training examples per intent. */
export function loadIntentExamples(dir: string = DEFAULT_INTENTS_DIR): IntentExamples {
  const result: IntentExamples = new Map();
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !NOT_INTENT_FILES.has(f)).sort();
  for (const name of files) {
    const file = readYaml(dir, name, IntentExamplesFile);
    if (name !== `${file.intent}.yaml`) throw new KnowledgeError(name, 'intent', `file name must be ${file.intent}.yaml`);
    result.set(file.intent, file.examples);
  }
  for (const id of INTENT_IDS) {
    if (!result.has(id)) throw new KnowledgeError(`${id}.yaml`, '', `intent "${id}" has no training examples`);
  }
  return result;
}
