import { describe, expect, it } from 'vitest';
import { cleanMessageText } from '../../../src/channels/teams/mentions.ts';

const BOT = { id: '28:bot', name: 'UPS保守サポート' };
const mention = (name: string, id = BOT.id) => ({ type: 'mention', text: `<at>${name}</at>`, mentioned: { id, name } });

describe('cleanMessageText', () => {
  it.each([
    ['one mention', '<at>UPS保守サポート</at> 電話番号は？', [mention('UPS保守サポート')], '電話番号は？', true],
    ['every mention of the bot, whatever its display name', '<at>Bot</at> 電話番号 <at>UPS Bot</at>', [mention('Bot'), mention('UPS Bot')], '電話番号', true],
    ['the same mention twice', '<at>Bot</at>電話<at>Bot</at>番号', [mention('Bot')], '電話 番号', true],
    ['spoofed markup without an entity', '<at>UPS保守サポート</at> 電話番号', [], '電話番号', false],
    ['escaped markup typed by the user', '<at>Bot</at> &lt;at&gt;Bot&lt;/at&gt; 料金は？', [mention('Bot')], '料金は？', true],
    ['another person’s mention', '<at>Bot</at> <at>山田</at>さんへ 保証期間は？', [mention('Bot'), mention('山田', '29:yamada')], 'さんへ 保証期間は？', true],
    ['a mention of someone else only', '<at>山田</at> 会議室は？', [mention('山田', '29:yamada')], '会議室は？', false],
    ['non-breaking spaces and entities', '<at>Bot</at>&nbsp;A&amp;B&nbsp;&nbsp;x', [mention('Bot')], 'A&B x', true],
    ['formatting tags, keeping "<" in text', '<p><at>Bot</at> 停止時間は<5分</p>', [mention('Bot')], '停止時間は<5分', true],
    ['personal chat text untouched', 'SMT1500J の保守', [], 'SMT1500J の保守', false],
  ])('%s', (_name, text, entities, expected, mentionsBot) => {
    expect(cleanMessageText({ text, entities, recipient: BOT })).toEqual({ text: expected, mentionsBot });
  });

  it('handles a missing text', () => {
    expect(cleanMessageText({ recipient: BOT })).toEqual({ text: '', mentionsBot: false });
  });
});
