// Slot values from free text ("止められない", "自分で交換できます", "already have one").
// Phrases are written plainly and folded like user text; negative phrases are listed first
// in each slot because "止められない" must win over "止められ…".
import { foldText } from './normalize.ts';

export type SlotValues = {
  timing?: 'new_purchase' | 'owned';
  downtime?: 'tolerable' | 'minimize';
  self_service?: 'yes' | 'no';
  response_24x7?: 'yes' | 'no';
  years?: number;
};

type Table = { [K in keyof SlotValues]?: [NonNullable<SlotValues[K]>, string[]][] };

const PHRASES: Table = {
  timing: [
    ['owned', ['既に持', 'すでに持', 'もう持', '既に使', 'すでに使', 'もう使', '使っていて', '使っており', '使っています', '使ってます', '使用しています', '購入した', '買った', '導入した', '持ってます', '使用して', '持っていて', '持っており', '導入して', '入れている', '入れてる', 'うちの', '持っている', '持ってる', '持っています', '使っている', '使ってる', '使用中', '導入済', '運用中', '稼働中', '既存', '手持ち', '設置済', '購入済', '買ってある', 'already have', 'already own', 'already using', 'we have one', 'i have one', 'existing', 'in use', 'we own', 'own one', 'already installed', 'bought it', 'already bought']],
    ['new_purchase', ['これから購入', '購入する', '購入します', '買います', '買う', '導入する', '導入します', '新しく導入', 'これから買', '新しく買', '新しく購入', '新規購入', '新規で', '新規に', '購入予定', '買う予定', '導入予定', '購入を検討', '購入検討', '買い替え', '買替', '新品', '購入時', '買うとき', '買う時', 'これから導入', '新しいups', 'new purchase', 'buying', 'buy a new', 'going to buy', 'plan to buy', 'planning to buy', 'new ups', 'purchase a new', 'will buy', 'new one']],
  ],
  downtime: [
    ['minimize', ['止められない', '止めれない', '止めることはできない', '止められません', '止まると困', '止まったら困', '止まっては困', '停止できない', '停止できません', '許容できない', '許容できません', '止めたくない', '止まるとまずい', '最小限', '最小に', '無停止', 'ダウンタイムを最小', '止まっては', '止まったらまずい', 'cannot stop', "can't stop", 'cant stop', 'must not stop', 'no downtime', 'minimize downtime', 'minimise downtime', 'minimal downtime', 'cannot go down', "can't go down", 'not acceptable', 'cannot tolerate', "can't tolerate", '~critical']],
    ['tolerable', ['止まってもいい', '止まっても良い', '止まっても大丈夫', '止まっても問題', '止まってもok', '止まっても構', '止めても大丈夫', '止めてもいい', '停止できる', '停止は許容', '停止を許容', '許容できる', '許容範囲', '一時的な停止', '少しなら止', '止められる', '多少止まって', '止まっても平気', '~待てる', 'can stop', 'can tolerate', 'downtime is ok', 'downtime is fine', 'ok to stop', 'fine to stop', '~acceptable', '~can wait', 'tolerable', 'temporary stop is ok', 'temporary outage is ok']],
  ],
  self_service: [
    ['no', ['~できない', '~できません', '~無理', '~難しい', '交換できない', '交換できません', '交換は無理', '入れ替えできない', '入れ替えられない', '交換する人がいない', '人がいない', '誰もいない', 'だれもいない', '常駐していない', '常駐してない', '常駐者がいない', '~不在', '~無人', '~いません', '~いない', '任せたい', '委託したい', '外部に委託', '自信がない', 'できる人がいない', '~no one', '~nobody', 'cannot swap', "can't swap", 'cant swap', 'cannot replace', "can't replace", 'no staff', 'no it staff', 'unmanned', 'outsource']],
    ['yes', ['~できる', '~できます', '~可能', 'うちでできる', 'うちで交換', '自分で交換', '自分たちで交換', '自分達で交換', '自社で交換', '社内で交換', '交換できる', '交換できます', '入れ替えできる', '入れ替えられる', '交換可能', '~対応できる', '常駐している', '常駐してる', '常駐しています', '~人がいる', '~います', 'we can swap', 'can swap', '~ourselves', 'we can replace', 'can replace', 'someone on site', 'staff on site', 'we have staff', 'we can do it', 'in-house', 'in house']],
  ],
  response_24x7: [
    ['no', ['翌営業日で', '翌日でいい', '翌日で十分', '翌日で大丈夫', '翌営業日対応で', '4時間は不要', '4時間は必要ない', '4時間はいらない', '夜間は不要', '~必要ない', '~不要', '~いらない', '~要らない', 'next business day is', 'next day is fine', 'not needed', 'no need', "don't need", 'do not need']],
    ['yes', ['4時間', '24時間', '365日', '夜間', '休日も', '7x24', '24x7', '24 7', 'round the clock', 'around the clock', '4 hour', 'four hour', '24 hours', 'nights and weekends']],
  ],
};

const YES = ['はい', 'うん', 'ええ', 'そうです', 'お願いします', 'おねがい', 'もちろん', 'yes', 'yeah', 'yep', 'sure', 'ok', 'okay', 'please'];
const NO = ['いいえ', 'いえ', 'いや', 'ちがう', '違う', 'no', 'nope', 'not really'];
const UNKNOWN_MODEL = ['わからない', '分からない', '分かりません', 'わかりません', '不明', '知らない', '覚えていない', '決めていない', '決めてない', '決まっていない', '決まってない', '未定', '検討中', 'not decided', 'undecided', 'not chosen', 'not yet', 'unknown', "don't know", 'dont know', 'not sure', 'no idea'];
const FAILED = ['壊れ', 'こわれ', '故障し', '故障中', '故障した', '動かない', '動かなく', '起動しない', 'アラーム', '警告音', 'ピーピー', '鳴って', 'broke', 'failed', 'failure', 'not working', 'dead', 'alarm', 'beeping'];

type Folded<T> = [T, string[]][];
// A phrase marked "~" is too broad to trust out of context ("いない" inside "入っていない"):
// it counts only as the answer to the question being asked.
const fold = <T>(rows: [T, string[]][]): Folded<T> =>
  rows.map(([v, ps]) => [v, ps.map((p) => (p.startsWith('~') ? `~${foldText(p.slice(1))}` : foldText(p)))]);
const FOLDED = Object.fromEntries(Object.entries(PHRASES).map(([slot, rows]) => [slot, fold(rows as [unknown, string[]][])])) as {
  [K in keyof Table]: Folded<unknown>;
};
const FOLDED_YES = YES.map(foldText);
const FOLDED_NO = NO.map(foldText);
const FOLDED_UNKNOWN = UNKNOWN_MODEL.map(foldText);
const FOLDED_FAILED = FAILED.map(foldText);

/** ASCII phrases must match whole words; Japanese ones anywhere. */
function contains(text: string, phrase: string): boolean {
  if (!/^[a-z0-9 ']+$/.test(phrase)) return text.includes(phrase);
  return ` ${text} `.includes(` ${phrase} `) || new RegExp(`\\b${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text);
}

const KANJI_NUMBERS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 十: 10 };

export function extractSlotValues(raw: string, asking?: keyof SlotValues): SlotValues {
  const text = foldText(raw);
  const values: SlotValues = {};
  for (const [slot, rows] of Object.entries(FOLDED) as [keyof SlotValues, Folded<unknown>][]) {
    if (slot === 'years') continue;
    for (const [value, phrases] of rows) {
      const hit = phrases.some((p) => (p.startsWith('~') ? slot === asking && contains(text, p.slice(1)) : contains(text, p)));
      if (hit) {
        (values as Record<string, unknown>)[slot] = value;
        break;
      }
    }
  }
  const years = text.match(/(\d{1,2})\s*(?:年|years?|yrs?|year plan)/) ?? text.match(/([一二三四五六七十])年/);
  if (years) {
    const n = /\d/.test(years[1]!) ? Number(years[1]) : KANJI_NUMBERS[years[1]!];
    if (n !== undefined && n >= 1 && n <= 10) values.years = n;
  }
  return values;
}

export function saysYes(raw: string): boolean {
  const text = foldText(raw);
  return FOLDED_YES.some((p) => contains(text, p)) && !saysNo(raw);
}

export function saysNo(raw: string): boolean {
  const text = foldText(raw);
  return FOLDED_NO.some((p) => contains(text, p));
}

export function saysModelUnknown(raw: string): boolean {
  const text = foldText(raw);
  return FOLDED_UNKNOWN.some((p) => contains(text, p));
}

export function mentionsFailure(raw: string): boolean {
  const text = foldText(raw);
  return FOLDED_FAILED.some((p) => contains(text, p));
}
