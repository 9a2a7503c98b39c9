// `npm run chat`: talk to the engine in a terminal. Numbered choices (type the number),
// colours where the terminal has them, /restart and /quit.
import { createInterface } from 'node:readline';
import { styleText } from 'node:util';
import { buildEngine } from '../core/index.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { fieldLabel, formatJstTime, labelled, skuList, withoutSkuSummary } from '../core/labels.ts';
import type { Reply } from '../core/reply.ts';
import type { Lang } from '../core/turn.ts';

// hasColors() honours NO_COLOR and FORCE_COLOR.
const color = process.stdout.isTTY && process.stdout.hasColors();
const paint = (format: Parameters<typeof styleText>[0], s: string) => (color ? styleText(format, s) : s);

function show(reply: Reply, lang: Lang): void {
  console.log(`\n${paint('cyan', 'bot')} ${withoutSkuSummary(reply.text, reply.skus, lang)}`);
  if (reply.skus.length > 0) {
    const list = skuList(reply.skus, lang);
    console.log(paint('green', `  ${list.title}`));
    for (const row of list.rows) console.log(paint('green', `  ■ ${row.sku}  ${row.service}${list.showModel ? ` — ${row.model}` : ''}`));
  }
  for (const l of reply.links) console.log(paint('blue', `  🔗 ${l.title}: ${l.url}`));
  if (reply.handoff) {
    const { phone, open, nextOpen } = reply.handoff;
    const status = open ? fieldLabel('open', lang) : `${fieldLabel('closed', lang)} — ${labelled('nextOpen', formatJstTime(nextOpen!, lang), lang)}`;
    console.log(paint('yellow', `  ☎ ${fieldLabel('phone', lang)} ${phone} — ${fieldLabel('hours', lang)}\n    ${status}`));
  }
  reply.choices.forEach((c, i) => console.log(paint('magenta', `  [${i + 1}] ${c.label}`)));
}

const config = loadConfig();
const engine = await buildEngine({ companyHolidays: config.companyHolidays, logger: createLogger('warn') });
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
let conversation = `chat-${Date.now()}`;
const prompt = () => process.stdout.write(paint('bold', '\nyou> '));
console.log(paint('bold', 'APC UPS 保守サポート (terminal chat) — /restart で最初から、/quit で終了'));
let choices = engine.welcome('ja').choices;
show(engine.welcome('ja'), 'ja');
prompt();

for await (const raw of rl) {
  const line = raw.trim();
  if (line === '/quit' || line === '/exit') break;
  if (line === '/restart') {
    conversation = `chat-${Date.now()}`;
    const welcome = engine.welcome('ja');
    show(welcome, 'ja');
    choices = welcome.choices;
  } else if (line !== '') {
    const n = Number(line);
    const choice = Number.isInteger(n) && n >= 1 && n <= choices.length ? choices[n - 1] : undefined;
    if (choice) console.log(paint('dim', `  → ${choice.label}`));
    const { lang, replies } = await engine.handle(choice ? { conversation, choice: choice.id } : { conversation, text: line });
    for (const r of replies) show(r, lang);
    choices = replies.at(-1)?.choices ?? [];
  }
  prompt();
}
rl.close();
