// `npm run check-knowledge`: validates knowledge/ and intents/ and prints a summary, or the
// precise error (file, path in the file, what is wrong) with exit code 1.
import { loadConfig } from '../config.ts';
import { INTENT_IDS } from '../core/reply.ts';
import { DEFAULT_INTENTS_DIR, KnowledgeError, loadIntentExamples, loadKnowledge } from '../core/knowledge/load.ts';
import { loadSynonyms } from '../core/nlu/lexicon.ts';
import { buildModelIndex } from '../core/sku/model.ts';
import { allPrintedSkus } from '../core/sku/resolve.ts';

const config = loadConfig();
try {
  const kb = loadKnowledge(config.knowledgeDir);
  const examples = loadIntentExamples(config.intentsDir);
  const synonyms = loadSynonyms(config.intentsDir ?? DEFAULT_INTENTS_DIR);
  const models = buildModelIndex(kb).models;
  let ja = 0;
  let en = 0;
  for (const e of examples.values()) {
    ja += e.ja.length;
    en += e.en.length;
  }
  const doubts = [...kb.tables.annual.doubts, ...kb.tables.service_pack.doubts];
  console.log('knowledge OK');
  console.log(`  intents: ${INTENT_IDS.length} (answers for all), menu topics: ${kb.menu.length}`);
  console.log(`  models: ${models.length} (annual table ${models.filter((m) => m.annualGroup).length}, service pack table ${models.filter((m) => m.packGroup).length})`);
  console.log(`  SKUs: ${allPrintedSkus(kb).size} distinct printed SKUs in ${kb.tables.annual.groups.length + kb.tables.service_pack.groups.length} groups`);
  console.log(`  training examples: ${ja} ja + ${en} en; synonym rules: ${synonyms.length}`);
  console.log(`  doubts recorded next to printed values: ${doubts.length}`);
  for (const d of doubts) console.log(`    - ${d.value} (${d.where})`);
} catch (err) {
  if (err instanceof KnowledgeError) {
    console.error(`knowledge INVALID: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
