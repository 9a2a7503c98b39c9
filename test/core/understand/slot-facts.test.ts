// The slot reader on the misreadings reported in issue 11 and on the reading rules of
// intents/slots.yaml: negation in scope, contrast, double negation, several facts, facts
// before their question, corrections, yes/no only as whole answers.
import { describe, expect, it } from 'vitest';
import { loadSlotReader } from '../../../src/core/understand/load-slots.ts';
import type { SlotName } from '../../../src/core/dialog/slots.ts';

const reader = loadSlotReader();
const frame = (text: string, asked?: SlotName) => reader.read(text, asked).frame;

describe('slot reader', () => {
  it.each([
    ['止まってもいいけど交換できる人はいない', undefined, { downtime: 'tolerable', self_service: 'no' }],
    ['既に持ってるSMT1500Jの保守を選びたい。止められないけど24時間対応はいらない', undefined, { timing: 'owned', downtime: 'minimize', response_24x7: 'no' }],
    ['4時間対応はいらない', undefined, { response_24x7: 'no' }],
    ['夜間の駆けつけは要りません', undefined, { response_24x7: 'no' }],
    ['深夜の4時間対応は必要ありません', undefined, { response_24x7: 'no' }],
    ['交換できる人はいない', 'response_24x7', { self_service: 'no' }],
    ['止まるのは困る', undefined, { downtime: 'minimize' }],
    ['止まるとヤバい', undefined, { downtime: 'minimize' }],
    ['止まっては困らない', undefined, { downtime: 'tolerable' }],
    ['既に持っているのではなく、新規購入です', undefined, { timing: 'new_purchase' }],
    ['もう導入済みで、多少止まっても平気だし入れ替えも社内でできます', undefined, { timing: 'owned', downtime: 'tolerable', self_service: 'yes' }],
    ['期間は3年がいいです', 'downtime', { years: 3 }],
    ['型番わからない', 'downtime', { model: 'unknown' }],
    ['あ、ごめん、やっぱ止まってもちょっとなら大丈夫。交換は情シスで自分らでやれる', 'years', { downtime: 'tolerable', self_service: 'yes' }],
    ['やっぱり4時間のは無しで', undefined, { response_24x7: 'no' }],
    ['困らないわけではないです', 'downtime', { downtime: 'minimize' }],
    ['4時間対応は不要です。翌営業日に来てもらえれば問題ないです。', 'response_24x7', { response_24x7: 'no' }],
    ['まだ買っていないSMT1500Jの件です', undefined, { timing: 'new_purchase' }],
    ['Downtime is not acceptable, nobody on site can swap it, and we need 4-hour response 24/7.', undefined, { downtime: 'minimize', self_service: 'no', response_24x7: 'yes' }],
    ["We can't afford any downtime. We don't need 24/7 response.", undefined, { downtime: 'minimize', response_24x7: 'no' }],
    ['We have used it for 3 years and want 1 year of coverage', undefined, { years: 1 }],
    ['3年前に買ったUPSで、保守は5年で', undefined, { timing: 'owned', years: 5 }],
    ['3年ではなく5年でお願いします', 'years', { years: 5 }],
  ] as const)('%s (asked: %s)', (text, asked, want) => {
    expect(frame(text, asked)).toEqual(want);
  });

  it('reads yes and no only as whole answers to the question asked', () => {
    expect(frame('はい', 'self_service')).toEqual({ self_service: 'yes' });
    expect(frame('いいえ', 'downtime')).toEqual({ downtime: 'minimize' });
    // 「人はいない」 holds the letters of はい, but is no "yes".
    expect(frame('人はいない', 'self_service')).toEqual({ self_service: 'no' });
    expect(frame('No one here can do it', 'self_service')).toEqual({ self_service: 'no' });
    expect(frame('はい')).toEqual({});
  });

  it('does not take "24/7" or "need 4" for a model or a length', () => {
    expect(frame('We need 4-hour response around the clock')).toEqual({ response_24x7: 'yes' });
    expect(frame('24時間稼働のサーバーです')).toEqual({});
  });
});
