// loadKnowledge / loadIntentExamples: the real data passes; deliberate errors in a temp copy are
// refused with a KnowledgeError naming the file and the path inside it.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { DEFAULT_INTENTS_DIR, DEFAULT_KNOWLEDGE_DIR, KnowledgeError, loadIntentExamples, loadKnowledge } from '../../src/core/knowledge/load.ts';
import { INTENT_IDS } from '../../src/core/reply.ts';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOf(src: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kb-test-'));
  temps.push(dir);
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** Replaces exactly one occurrence of `from` (fails the test if it is not there exactly once). */
function replaceOnce(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text.split(from).length - 1, `"${from}" occurs once in ${path.basename(file)}`).toBe(1);
  writeFileSync(file, text.replace(from, to));
}

function editYaml(file: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  edit(doc);
  writeFileSync(file, doc.toString());
}

function knowledgeError(fn: () => unknown): KnowledgeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KnowledgeError);
    return e as KnowledgeError;
  }
  throw new Error('expected a KnowledgeError, nothing was thrown');
}

describe('the real knowledge/ and intents/', () => {
  it('loadKnowledge() passes', () => {
    const kb = loadKnowledge();
    expect(kb.tables.annual.table).toBe('annual');
    expect(kb.tables.service_pack.table).toBe('service_pack');
    expect(Object.keys(kb.answers).sort()).toEqual([...INTENT_IDS].sort());
    expect(kb.contact.callCenter.phone).toBe('03-4578-4697');
  });

  it('an unchanged temp copy passes too (the copying itself is sound)', () => {
    expect(() => loadKnowledge(copyOf(DEFAULT_KNOWLEDGE_DIR))).not.toThrow();
  });

  it('loadIntentExamples() passes and covers every intent', () => {
    const examples = loadIntentExamples();
    expect([...examples.keys()].sort()).toEqual([...INTENT_IDS].sort());
    for (const [id, ex] of examples) {
      expect(ex.ja.length, id).toBeGreaterThan(0);
      expect(ex.en.length, id).toBeGreaterThan(0);
    }
  });
});

describe('deliberate errors in knowledge/', () => {
  it('schemaVersion: "one" in sku-annual.yaml', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'sku-annual.yaml'), 'schemaVersion: 1', 'schemaVersion: "one"');
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-annual.yaml');
    expect(e.where).toBe('schemaVersion');
    expect(e.message).toMatch(/^sku-annual\.yaml at schemaVersion: /);
  });

  it('years: "three" in sku-annual.yaml (the 3-year send-back column)', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    editYaml(path.join(dir, 'sku-annual.yaml'), (doc) => {
      expect(doc.getIn(['columns', 1, 'years'])).toBe(3);
      doc.setIn(['columns', 1, 'years'], 'three');
    });
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-annual.yaml');
    expect(e.where).toBe('columns.1.years');
    expect(e.message).toMatch(/^sku-annual\.yaml at columns\.1\.years: .*number/i);
  });

  it('a SKU cell that is not a SKU as printed', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'sku-service-pack.yaml'), 'WOE5YR-SU-02-PACK', 'woe5yr su 02 pack');
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-service-pack.yaml');
    expect(e.where).toBe('groups.1.cells.nbd_onsite_5y');
  });

  it('a duplicate SKU: WEXTIYR-SU-02 also in group SU-03 sendback_1y', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'sku-annual.yaml'), 'sendback_1y: WEXTIYR-SU-03', 'sendback_1y: WEXTIYR-SU-02');
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-annual.yaml');
    expect(e.where).toBe('groups.3.cells.sendback_1y');
    expect(e.message).toContain('duplicate SKU WEXTIYR-SU-02');
    expect(e.message).toContain('SU-02/sendback_1y');
  });

  it('a duplicate SKU across the two tables', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'sku-service-pack.yaml'), 'nbd_onsite_3y: WOE3YR-SU-03-PACK', 'nbd_onsite_3y: WADVPLNIP-SU-03');
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-service-pack.yaml');
    expect(e.where).toBe('groups.2.cells.nbd_onsite_3y');
    expect(e.message).toContain('duplicate SKU WADVPLNIP-SU-03');
    expect(e.message).toContain('sku-annual.yaml SU-03/nbd_onsite_1y');
  });

  it('an unknown intent id in answers.yaml', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    editYaml(path.join(dir, 'answers.yaml'), (doc) => {
      const thanks = doc.getIn(['answers', 'thanks']);
      expect(thanks).toBeDefined();
      doc.setIn(['answers', 'no_such_intent'], thanks);
    });
    expect(readFileSync(path.join(dir, 'answers.yaml'), 'utf8')).toMatch(/^ {2}no_such_intent:/m);
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('answers.yaml');
    expect(e.where).toBe('answers.no_such_intent');
    expect(e.message).toContain('unknown intent id "no_such_intent"');
  });

  it('a missing intent answer (pricing: deleted)', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    editYaml(path.join(dir, 'answers.yaml'), (doc) => {
      expect(doc.deleteIn(['answers', 'pricing'])).toBe(true);
    });
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('answers.yaml');
    expect(e.where).toBe('answers.pricing');
    expect(e.message).toContain('"pricing"');
    expect(e.message).toContain('has no answer');
  });

  it('a menu entry with an unknown intent is refused by the schema', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    editYaml(path.join(dir, 'answers.yaml'), (doc) => {
      doc.setIn(['menu', 0, 'intent'], 'no_such_intent');
    });
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('answers.yaml');
    expect(e.where).toBe('menu.0.intent');
  });

  it('a model in two groups of one table', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(
      path.join(dir, 'sku-annual.yaml'),
      'models: [SMT2200J, SMT3000J, SRT2400XLJ, SMT3000RMJ2U, SMX3000RMJ2U]',
      'models: [SMT2200J, SMT3000J, SRT2400XLJ, SMT3000RMJ2U, SMX3000RMJ2U, SMT1500J]',
    );
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-annual.yaml');
    expect(e.where).toBe('groups.3.models.5');
    expect(e.message).toContain('model SMT1500J is already in group SU-02');
  });

  it('the same model in both tables is fine (it is printed in both)', () => {
    // SMT1500J is in SU-02 of both tables in the real data; nothing to change, just confirm the rule is per table.
    const kb = loadKnowledge(copyOf(DEFAULT_KNOWLEDGE_DIR));
    expect(kb.tables.annual.groups.some((g) => g.models.includes('SMT1500J'))).toBe(true);
    expect(kb.tables.service_pack.groups.some((g) => g.models.includes('SMT1500J'))).toBe(true);
  });

  it('a missing cell (SU-01 sendback_3y deleted from sku-annual.yaml)', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    editYaml(path.join(dir, 'sku-annual.yaml'), (doc) => {
      expect(doc.getIn(['groups', 1, 'id'])).toBe('SU-01');
      expect(doc.deleteIn(['groups', 1, 'cells', 'sendback_3y'])).toBe(true);
    });
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-annual.yaml');
    expect(e.where).toBe('groups.1.cells.sendback_3y');
    expect(e.message).toContain('cell is missing');
  });

  it('a cell for a column that does not exist', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    editYaml(path.join(dir, 'sku-service-pack.yaml'), (doc) => {
      doc.setIn(['groups', 3, 'cells', 'sendback_7y'], 'WEXT7YR-SU-05');
    });
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-service-pack.yaml');
    expect(e.where).toBe('groups.3.cells.sendback_7y');
    expect(e.message).toContain('unknown column "sendback_7y"');
  });

  it('an upgrade of an unknown column', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'sku-annual.yaml'), 'upgradeOf: nbd_onsite_1y', 'upgradeOf: nbd_onsite_2y');
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-annual.yaml');
    expect(e.where).toBe('columns.3.upgradeOf');
  });

  it('the two tables swapped', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'sku-service-pack.yaml'), 'table: service_pack', 'table: annual');
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-service-pack.yaml');
    expect(e.where).toBe('table');
  });

  it('malformed YAML', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'sku-service-pack.yaml'), 'models: [SRT5KXLJ]', 'models: [SRT5KXLJ');
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('sku-service-pack.yaml');
    expect(e.message).toMatch(/^sku-service-pack\.yaml: not valid YAML/);
  });

  it('a duplicate key is malformed YAML, not a silent overwrite', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'contact.yaml'), "  opens: '09:00'", "  opens: '09:00'\n  opens: '10:00'");
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('contact.yaml');
    expect(e.message).toContain('not valid YAML');
  });

  it('a missing file', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    unlinkSync(path.join(dir, 'messages.yaml'));
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('messages.yaml');
    expect(e.message).toContain('missing');
  });

  it('a required engine message removed', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    editYaml(path.join(dir, 'messages.yaml'), (doc) => {
      expect(doc.deleteIn(['messages', 'ask_model'])).toBe(true);
    });
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('messages.yaml');
    expect(e.where).toBe('messages.ask_model');
  });

  it('a bad company holiday date in contact.yaml', () => {
    const dir = copyOf(DEFAULT_KNOWLEDGE_DIR);
    replaceOnce(path.join(dir, 'contact.yaml'), '    - 2026-12-30\n', '    - 2026-13-30\n');
    const e = knowledgeError(() => loadKnowledge(dir));
    expect(e.file).toBe('contact.yaml');
    expect(e.where).toBe('callCenter.companyHolidays.1');
  });
});

describe('deliberate errors in intents/', () => {
  it('an unknown intent id in a file named after it', () => {
    const dir = copyOf(DEFAULT_INTENTS_DIR);
    writeFileSync(
      path.join(dir, 'no_such_intent.yaml'),
      'schemaVersion: 1\nintent: no_such_intent\nexamples:\n  ja:\n    - なにか\n  en:\n    - something\n',
    );
    const e = knowledgeError(() => loadIntentExamples(dir));
    expect(e.file).toBe('no_such_intent.yaml');
    expect(e.where).toBe('intent');
  });

  it('an unknown intent id replacing a real one', () => {
    const dir = copyOf(DEFAULT_INTENTS_DIR);
    replaceOnce(path.join(dir, 'pricing.yaml'), 'intent: pricing', 'intent: no_such_intent');
    const e = knowledgeError(() => loadIntentExamples(dir));
    expect(e.file).toBe('pricing.yaml');
    expect(e.where).toBe('intent');
  });

  it('a file whose name does not match its intent', () => {
    const dir = copyOf(DEFAULT_INTENTS_DIR);
    replaceOnce(path.join(dir, 'pricing.yaml'), 'intent: pricing', 'intent: contact');
    const e = knowledgeError(() => loadIntentExamples(dir));
    expect(e.file).toBe('pricing.yaml');
    expect(e.message).toContain('contact.yaml');
  });

  it('an intent without examples file', () => {
    const dir = copyOf(DEFAULT_INTENTS_DIR);
    unlinkSync(path.join(dir, 'trade_ups.yaml'));
    const e = knowledgeError(() => loadIntentExamples(dir));
    expect(e.file).toBe('trade_ups.yaml');
    expect(e.message).toContain('no training examples');
  });

  it('an empty example list', () => {
    const dir = copyOf(DEFAULT_INTENTS_DIR);
    editYaml(path.join(dir, 'thanks.yaml'), (doc) => {
      doc.setIn(['examples', 'en'], doc.createNode([]));
    });
    const e = knowledgeError(() => loadIntentExamples(dir));
    expect(e.file).toBe('thanks.yaml');
    expect(e.where).toBe('examples.en');
  });
});
