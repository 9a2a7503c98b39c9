import { describe, expect, it } from 'vitest';
import { cleanIncomingText } from '../../../src/channels/slack/incoming.ts';

describe('cleanIncomingText', () => {
  it.each([
    ['<@U0BOT0001> SMT1500Jの保守を選びたい', 'SMT1500Jの保守を選びたい'],
    ['<!channel> 保守とは', '保守とは'],
    ['<!here|here> <!everyone> 保守とは', '保守とは'],
    ['<!subteam^S0OPS|@ops> <@W0ENTUSER|bob> 保守とは', '保守とは'],
    ['&lt;!channel&gt; typed literally', 'typed literally'],
    ['A &amp; B &lt;tag&gt;', 'A & B <tag>'],
    ['see <https://www.se.com/jp/ja/faqs/FAQ000281506/|the list>', 'see the list'],
    ['see <https://www.se.com/jp/>', 'see https://www.se.com/jp/'],
    ['in <#C0GENERAL1|general> please', 'in #general please'],
    ['ＳＭＴ１５００Ｊ　の保守', 'ＳＭＴ１５００Ｊ　の保守'],
    ['<@U0BOT0001>', ''],
    ['line one  \n  line two', 'line one\nline two'],
  ])('%s → %s', (input, expected) => {
    expect(cleanIncomingText(input)).toBe(expected);
  });
});
