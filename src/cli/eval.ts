// `npm run eval [file.jsonl] [--misses]`: intent accuracy (per-intent precision/recall, frequent
// confusions, out-of-scope precision/recall, SKU safety) over the held-out question sets, and
// slot-frame accuracy with precision/recall per slot value over the slot set. A file argument
// evaluates that one question file only.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEngine } from '../core/index.ts';
import { loadKnowledge } from '../core/knowledge/load.ts';
import { buildModelIndex } from '../core/sku/model.ts';
import { allPrintedSkus } from '../core/sku/resolve.ts';
import { loadSlotReader } from '../core/understand/load-slots.ts';
import { evaluate, readLabelled } from './eval-lib.ts';
import { evaluateSlots, readSlotRows, type SlotRow } from './slot-eval-lib.ts';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const asked = process.argv.slice(2).find((a) => !a.startsWith('--'));
const showMisses = process.argv.includes('--misses');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const engine = await buildEngine();
// Only the SKU tables: the engine above already built its own matcher.
const kb = loadKnowledge();

const questionSets = asked
  ? [{ file: asked, who: '' }]
  : [
      { file: path.join(root, 'test/eval/heldout.jsonl'), who: 'written by the team that wrote intents/' },
      { file: path.join(root, 'test/eval/heldout-fresh.jsonl'), who: 'written by a helper session that had not read intents/' },
    ];

for (const { file, who } of questionSets) {
  const report = await evaluate(engine, readLabelled(file), allPrintedSkus(kb));
  console.log(`# Intents: ${path.relative(process.cwd(), file)}${who ? ` (${who})` : ''}\n`);
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
  console.log('');
}

for (const set of asked ? [] : ['slots.jsonl', 'slots-fresh.jsonl']) {
  const rows = readSlotRows(path.join(root, 'test/eval', set));
  const reader = loadSlotReader();
  const models = buildModelIndex(kb);
  // Odd ids were read while tuning intents/slots.yaml; even ids never were (README).
  const halves: [string, SlotRow[]][] = [
    ['tuned half (odd ids)', rows.filter((r) => Number(r.id.slice(1)) % 2 === 1)],
    ['untouched half (even ids)', rows.filter((r) => Number(r.id.slice(1)) % 2 === 0)],
  ];
  console.log(`# Slots: test/eval/${set} (written by a helper session that had not read intents/ or the extractor)\n`);
  for (const [name, part] of halves) {
    const r = evaluateSlots(reader, models, part);
    console.log(`## ${name}: exact frame ${pct(r.accuracy)} (${r.exact}/${r.total}); ${Object.entries(r.byLang).map(([l, v]) => `${l} ${pct(v.exact / v.total)}`).join(', ')}`);
    const tags = ['negation', 'contrast', 'multi', 'correction', 'distractor', 'bare'];
    console.log(`   by tag: ${tags.map((t) => (r.byTag[t] ? `${t} ${pct(r.byTag[t]!.exact / r.byTag[t]!.total)} (${r.byTag[t]!.total})` : '')).filter(Boolean).join(', ')}\n`);
    console.log('| slot value | precision | recall | n |\n|---|---|---|---|');
    for (const v of r.perValue) console.log(`| ${v.value} | ${pct(v.precision)} | ${pct(v.recall)} | ${v.support} |`);
    // Misses are listed for the tuned half only: the other half stays unread.
    if (showMisses && name.startsWith('tuned')) for (const m of r.misses) console.log(`  ${m.id} [${m.asked ?? '-'}] ${m.text} | want ${m.expected} | got ${m.got}`);
    console.log('');
  }
}
