// Turns Teams message text into what the user actually asked. Mention stripping lives
// here, before understanding, so the engine never sees <at> markup or the bot's name.
import type { IncomingActivity } from './activity.ts';

export interface CleanedText {
  text: string;
  /** The bot was @mentioned (needed in channels and group chats, where Teams forwards only mentions). */
  mentionsBot: boolean;
}

const AT_ELEMENT = /<at\b[^>]*>[\s\S]*?<\/at\s*>/gi;
const AT_TAG = /<\/?at\b[^>]*>/gi;
// Formatting Teams may add around rich text; only these are removed, so "<5分" survives.
const FORMATTING_TAG = /<\/?(?:p|div|span|br|b|i|u|s|strong|em|ul|ol|li|blockquote|code|pre|a)\b[^>]*>/gi;
const NAMED_ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Removes every mention of the bot (the SDK helper removes only the first), then any
 * other `<at>…</at>` markup, including markup the user typed to look like a mention.
 */
export function cleanMessageText(activity: Pick<IncomingActivity, 'text' | 'entities' | 'recipient'>): CleanedText {
  let text = activity.text ?? '';
  let mentionsBot = false;
  const botId = activity.recipient?.id;
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention') continue;
    const mentioned = entity['mentioned'] as { id?: unknown } | undefined;
    if (botId === undefined || mentioned?.id !== botId) continue;
    mentionsBot = true;
    const markup = entity['text'];
    if (typeof markup === 'string' && markup !== '') text = text.split(markup).join(' ');
  }
  text = text.replace(AT_ELEMENT, ' ').replace(AT_TAG, ' ');
  text = text.replace(/<br\s*\/?>/gi, '\n').replace(FORMATTING_TAG, ' ');
  // Decoding can reveal markup that was typed escaped ("&lt;at&gt;"): strip once more.
  text = decodeEntities(text).replace(AT_ELEMENT, ' ').replace(AT_TAG, ' ');
  return { text: normaliseSpace(text), mentionsBot };
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function normaliseSpace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[\t\u00a0 ]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
