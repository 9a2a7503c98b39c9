// Reply (conversation.md §5) → Block Kit. Pure functions: no I/O, no decisions about what
// to say. Block Kit limits are met by splitting or trimming, never by throwing, because a
// rejected chat.postMessage would leave the user without any answer.
import type { types as SlackTypes } from '@slack/bolt';
import { fieldLabel, formatJstTime, labelled, skuList, withoutSkuSummary } from '../../core/labels.ts';
import type { Handoff, Reply, SkuLine } from '../../core/reply.ts';
import type { Lang } from '../../core/turn.ts';

export type SlackBlock = SlackTypes.SectionBlock | SlackTypes.ActionsBlock | SlackTypes.ContextBlock;

/** One chat.postMessage / respond payload. `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export const LIMITS = {
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  blocksPerMessage: 50,
  blocksPerHomeView: 100,
  elementsPerActions: 25,
  elementsPerContext: 10,
  buttonText: 75,
  buttonValue: 2000,
  fallbackText: 3000,
} as const;

/** Buttons carry `ups_choice_<n>`; the listener matches the prefix, Slack wants unique ids per message. */
export const CHOICE_ACTION_ID = /^ups_choice_\d+$/;
const CHOICE_ACTION_PREFIX = 'ups_choice_';
const CHOICES_BLOCK_PREFIX = 'ups_choices_';

// ---------------------------------------------------------------------------- text

/** Slack links, user/group mentions and broadcasts (<!channel>, <@U1>, <!subteam^S1>). */
const SPECIAL_TOKEN = /<(?:[!@][^<>]*)>/g;

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Removes mention and broadcast tokens so a reply can never ping anyone, then escapes. */
export function toMrkdwn(text: string): string {
  return escapeMrkdwn(text.replace(SPECIAL_TOKEN, ''));
}

function escapedLength(char: string): number {
  return char === '&' ? 5 : char === '<' || char === '>' ? 4 : char.length;
}

/**
 * Splits plain text into pieces whose escaped form fits `max`, preferring paragraph, line,
 * sentence and word breaks, and never cutting a surrogate pair or an entity in two.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = Array.from(text.trim());
  while (rest.length > 0) {
    let length = 0;
    let fit = 0;
    while (fit < rest.length && length + escapedLength(rest[fit]!) <= max) length += escapedLength(rest[fit++]!);
    if (fit === rest.length) {
      pieces.push(rest.join(''));
      break;
    }
    const cut = bestBreak(rest, Math.max(fit, 1));
    const piece = rest.slice(0, cut).join('').trimEnd();
    if (piece !== '') pieces.push(piece);
    rest = Array.from(rest.slice(cut).join('').trimStart());
  }
  return pieces;
}

function bestBreak(chars: string[], fit: number): number {
  const head = chars.slice(0, fit).join('');
  const floor = Math.floor(head.length / 2);
  for (const separator of ['\n\n', '\n', '。', '. ', ' ']) {
    const at = head.lastIndexOf(separator);
    if (at > floor) return Array.from(head.slice(0, at + separator.length)).length;
  }
  return fit;
}

/** Cuts plain text to `max` characters (code points), ending with an ellipsis. */
export function trimText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Cuts already-escaped mrkdwn without leaving half an entity behind. */
function trimMrkdwn(mrkdwn: string, max: number): string {
  if (mrkdwn.length <= max) return mrkdwn;
  return `${mrkdwn.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`;
}

// -------------------------------------------------------------------------- blocks

interface Part {
  block: SlackBlock;
  /** What this block contributes to the message's fallback text (already mrkdwn-safe). */
  fallback: string;
}

function mrkdwn(text: string): SlackTypes.MrkdwnElement {
  return { type: 'mrkdwn', text };
}

function textParts(text: string): Part[] {
  return splitText(text.replace(SPECIAL_TOKEN, ''), LIMITS.sectionText).map((piece) => {
    const escaped = escapeMrkdwn(piece);
    return { block: { type: 'section', text: mrkdwn(escaped) }, fallback: escaped };
  });
}

/** Rows per section: well inside the 3,000-character section limit. */
const SKU_ROWS_PER_SECTION = 12;

/** The SKU list of core/labels: a title naming the model, then one line per SKU, SKU first. */
function skuParts(skus: readonly SkuLine[], lang: Lang): Part[] {
  if (skus.length === 0) return [];
  const list = skuList(skus, lang);
  const parts: Part[] = [];
  for (let start = 0; start < list.rows.length; start += SKU_ROWS_PER_SECTION) {
    const lines = list.rows.slice(start, start + SKU_ROWS_PER_SECTION).map((row) => {
      const what = list.showModel ? `${row.service} — ${row.model}` : row.service;
      return `\`${toMrkdwn(row.sku)}\`  ${toMrkdwn(what)}`;
    });
    const text = [...(start === 0 ? [`*${toMrkdwn(list.title)}*`] : []), ...lines].join('\n');
    parts.push({ block: { type: 'section', text: mrkdwn(trimMrkdwn(text, LIMITS.sectionText)) }, fallback: text.replace(/[`*]/g, '') });
  }
  return parts;
}

/** The call-center box: phone, hours, whether the desk is open now and when it opens next. */
export function handoffBlock(handoff: Handoff, lang: Lang): SlackTypes.SectionBlock {
  const status = handoff.open
    ? `:large_green_circle: ${fieldLabel('open', lang)}`
    : `:red_circle: ${fieldLabel('closed', lang)}` +
      (handoff.nextOpen ? ` — ${labelled('nextOpen', formatJstTime(handoff.nextOpen, lang), lang)}` : '');
  const text = `:telephone_receiver: *${labelled('phone', toMrkdwn(handoff.phone), lang)}*\n${fieldLabel('hours', lang)}\n${status}`;
  return { type: 'section', block_id: 'ups_handoff', text: mrkdwn(trimMrkdwn(text, LIMITS.sectionText)) };
}

function choiceParts(choices: Reply['choices']): Part[] {
  const usable = choices.filter((c) => c.id.length <= LIMITS.buttonValue && c.label.trim() !== '');
  const parts: Part[] = [];
  for (let start = 0; start < usable.length; start += LIMITS.elementsPerActions) {
    const slice = usable.slice(start, start + LIMITS.elementsPerActions);
    parts.push({
      block: {
        type: 'actions',
        block_id: `${CHOICES_BLOCK_PREFIX}${start / LIMITS.elementsPerActions}`,
        elements: slice.map((choice, i) => ({
          type: 'button',
          action_id: `${CHOICE_ACTION_PREFIX}${start + i}`,
          text: { type: 'plain_text', text: trimText(choice.label, LIMITS.buttonText), emoji: true },
          value: choice.id,
        })),
      },
      fallback: slice.map((c) => `• ${toMrkdwn(c.label)}`).join('\n'),
    });
  }
  return parts;
}

/** A link URL may not contain the characters that end or split Slack's <url|title> syntax. */
function safeUrl(url: string): string {
  return url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
}

function linkParts(links: Reply['links']): Part[] {
  const parts: Part[] = [];
  for (let start = 0; start < links.length; start += LIMITS.elementsPerContext) {
    const slice = links.slice(start, start + LIMITS.elementsPerContext);
    parts.push({
      block: {
        type: 'context',
        elements: slice.map((link) => mrkdwn(trimMrkdwn(`<${safeUrl(link.url)}|${toMrkdwn(link.title)}>`, LIMITS.sectionText))),
      },
      fallback: slice.map((link) => `<${safeUrl(link.url)}|${toMrkdwn(link.title)}>`).join('\n'),
    });
  }
  return parts;
}

function replyParts(reply: Reply, lang: Lang): Part[] {
  return [
    ...textParts(withoutSkuSummary(reply.text, reply.skus, lang)),
    ...skuParts(reply.skus, lang),
    ...(reply.handoff ? [{ block: handoffBlock(reply.handoff, lang), fallback: labelled('phone', toMrkdwn(reply.handoff.phone), lang) }] : []),
    ...choiceParts(reply.choices),
    ...linkParts(reply.links),
  ];
}

function fallbackOf(parts: Part[]): string {
  const text = trimMrkdwn(parts.map((p) => p.fallback).filter((f) => f !== '').join('\n'), LIMITS.fallbackText);
  return text === '' ? '…' : text;
}

/**
 * Renders one reply as one or more Slack messages (more only when it exceeds 50 blocks).
 * Buttons come after the answer so that they sit in the last message, the one a click updates.
 */
export function renderReply(reply: Reply, lang: Lang): SlackMessage[] {
  const parts = replyParts(reply, lang);
  const messages: SlackMessage[] = [];
  for (let start = 0; start < parts.length; start += LIMITS.blocksPerMessage) {
    const chunk = parts.slice(start, start + LIMITS.blocksPerMessage);
    messages.push({ text: fallbackOf(chunk), blocks: chunk.map((p) => p.block) });
  }
  return messages;
}

/**
 * The clicked message after a choice: the buttons are gone (a second click on them cannot
 * fork the dialog) and a line shows what was chosen.
 */
export function markChosen(blocks: readonly unknown[], label: string): SlackTypes.AnyBlock[] {
  // Blocks that come back from Slack are the ones we (or Slack) built: valid Block Kit.
  const kept = blocks.filter((block) => !isChoicesBlock(block)) as SlackTypes.AnyBlock[];
  const chosen: SlackTypes.ContextBlock = {
    type: 'context',
    block_id: 'ups_chosen',
    elements: [mrkdwn(trimMrkdwn(`:white_check_mark: *${toMrkdwn(label)}*`, LIMITS.sectionText))],
  };
  return [...kept.slice(0, LIMITS.blocksPerMessage - 1), chosen];
}

function isChoicesBlock(block: unknown): boolean {
  if (typeof block !== 'object' || block === null) return false;
  const { type, block_id: blockId } = block as { type?: unknown; block_id?: unknown };
  return type === 'actions' && typeof blockId === 'string' && blockId.startsWith(CHOICES_BLOCK_PREFIX);
}

/** App Home: the welcome menu and, always, the call-center box. */
export function renderHomeView(welcome: Reply, handoff: Handoff | null, lang: Lang): SlackTypes.HomeView {
  const box = welcome.handoff ?? handoff;
  const parts = replyParts({ ...welcome, handoff: box }, lang);
  return { type: 'home', blocks: parts.slice(0, LIMITS.blocksPerHomeView).map((p) => p.block) };
}
