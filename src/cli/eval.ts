// `npm run eval [file.jsonl]`: per-intent precision/recall, frequent confusions, out-of-scope
process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); throw err; });
// precision/recall and the SKU-safety count over the project's held-out set.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEngine } from '../core/index.ts';
import { loadKnowledge } from '../core/knowledge/load.ts';
import { allPrintedSkus } from '../core/sku/resolve.ts';
import { evaluate, readLabelled } from './eval-lib.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.join(root, 'test/eval/heldout.jsonl');
const showMisses = process.argv.includes('--misses');

const engine = await buildEngine();
// Only the SKU tables: the engine above already built its own matcher.
const kb = loadKnowledge();
const report = await evaluate(engine, readLabelled(file), allPrintedSkus(kb));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

console.log(`# Evaluation: ${path.relative(process.cwd(), file)}\n`);
console.log(`top-1 accuracy: ${pct(report.accuracy)} (${report.correct}/${report.total})`);
for (const [lang, v] of Object.entries(report.byLang)) console.log(`  ${lang}: ${pct(v.correct / v.total)} (${v.correct}/${v.total})`);
console.log(`out-of-scope precision ${pct(report.outOfScope.precision)}, recall ${pct(report.outOfScope.recall)}`);
console.log(`SKUs outside the tables: ${report.unsafeSkus}`);
console.log(`median turn: ${report.medianMs.toFixed(2)} ms\n`);
console.log('| intent | precision | recall | n |\n|---|---|---|---|');
for (const r of report.perIntent) console.log(`| ${r.intent} | ${pct(r.precision)} | ${pct(r.recall)} | ${r.support} |`);
console.log('\nMost frequent confusions (expected → got):');
for (const c of report.confusions.slice(0, 12)) console.log(`  ${c.count} × ${c.expected} → ${c.got}`);
if (showMisses) {
  console.log('\nMisses:');
  for (const m of report.misses) console.log(`  ${m.id} ${m.expected} → ${m.got} (${m.confidence}) ${m.text}`);
}
