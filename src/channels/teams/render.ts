// Reply (conversation.md §5) → Teams message: one Adaptive Card 1.5 per reply, with a plain
// text fallback. Pure functions: what to say is decided by the engine, this only lays it out.
import { fieldLabel, formatJstTime, labelled, skuList, withoutSkuSummary } from '../../core/labels.ts';
import type { Choice, Handoff, Link, Reply, SkuLine } from '../../core/reply.ts';
import type { Lang } from '../../core/turn.ts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_VERSION = '1.5';
/** Teams refuses messages over ~100 KB; staying far below keeps cards fast on mobile. */
export const MAX_MESSAGE_BYTES = 40_000;

const MAX_LINE_CHARS = 3_000;
const MAX_FALLBACK_CHARS = 2_000;
const MAX_SUMMARY_CHARS = 150;
const MAX_SKU_LINES = 24;
const MAX_CHOICES = 15;
// Teams lays an ActionSet out in one row; three Japanese labels still fit on a phone.
const BUTTONS_PER_ROW = 3;

type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  spacing?: Spacing;
  weight?: 'Bolder';
  color?: 'Good' | 'Attention';
  isSubtle?: true;
}
export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
  separator?: true;
  spacing?: Spacing;
}
export interface ChoiceData {
  choice: string;
}
export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: ChoiceData;
}
export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}
export interface ActionSet {
  type: 'ActionSet';
  actions: (SubmitAction | OpenUrlAction)[];
  spacing?: Spacing;
}
export interface Container {
  type: 'Container';
  items: CardElement[];
  separator?: true;
  spacing?: Spacing;
}
export type CardElement = TextBlock | FactSet | ActionSet | Container;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: typeof ADAPTIVE_CARD_VERSION;
  body: CardElement[];
  /** Shown by clients that cannot render this card version. */
  fallbackText: string;
  msteams: { width: 'Full' };
}

export interface TeamsMessage {
  type: 'message';
  /** Notification preview, and the text of clients that render no cards. */
  summary: string;
  attachments: [{ contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }];
}

export function renderMessage(reply: Reply, lang: Lang): TeamsMessage {
  const lines = textLines(withoutSkuSummary(reply.text, reply.skus, lang));
  const message = (keep: number): TeamsMessage => ({
    type: 'message',
    summary: truncate(lines[0]?.text ?? '', MAX_SUMMARY_CHARS),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: buildCard(reply, lang, lines, keep) }],
  });
  let best = message(lines.length);
  if (byteSize(best) <= MAX_MESSAGE_BYTES) return best;
  // Too long: keep as many text lines as fit; facts, buttons and the phone always stay.
  let low = 0;
  let high = lines.length - 1;
  best = message(0);
  while (low <= high) {
    const mid = (low + high) >> 1;
    const candidate = message(mid);
    if (byteSize(candidate) <= MAX_MESSAGE_BYTES) {
      best = candidate;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return best;
}

export function renderAdaptiveCard(reply: Reply, lang: Lang): AdaptiveCard {
  return renderMessage(reply, lang).attachments[0].content;
}

/** The whole reply as plain text: the card's fallback and the log-friendly form. */
export function renderPlainText(reply: Reply, lang: Lang): string {
  const parts = [withoutSkuSummary(reply.text, reply.skus, lang).trim()];
  const choices = reply.choices.slice(0, MAX_CHOICES);
  if (choices.length > 0) parts.push(choices.map((c) => `・${c.label}`).join('\n'));
  if (reply.skus.length > 0) parts.push(skuLines(reply.skus.slice(0, MAX_SKU_LINES), lang).join('\n'));
  const links = webLinks(reply.links);
  if (links.length > 0) parts.push(links.map((l) => `${l.title}: ${l.url}`).join('\n'));
  if (reply.handoff) parts.push(handoffLines(reply.handoff, lang).join('\n'));
  return parts.join('\n\n');
}

export function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function buildCard(reply: Reply, lang: Lang, lines: TextLine[], keep: number): AdaptiveCard {
  const body: CardElement[] = lines.slice(0, keep).map((line, i) => textBlock(line.text, i === 0 ? undefined : line.spacing));
  if (keep < lines.length) body.push(textBlock('…', 'None'));
  if (reply.skus.length > 0) body.push(skuContainer(reply.skus.slice(0, MAX_SKU_LINES), lang));
  body.push(...choiceRows(reply.choices.slice(0, MAX_CHOICES)));
  const links = webLinks(reply.links);
  if (links.length > 0) body.push(...rows(links.map(openUrl)));
  if (reply.handoff) body.push(handoffContainer(reply.handoff, lang));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body,
    fallbackText: truncate(renderPlainText(reply, lang), MAX_FALLBACK_CHARS),
    msteams: { width: 'Full' },
  };
}

interface TextLine {
  text: string;
  spacing: Spacing;
}

/** One TextBlock per line: Teams does not honour single newlines inside a TextBlock. */
function textLines(text: string): TextLine[] {
  const paragraphs = sanitize(text).split(/\n\s*\n/);
  return paragraphs.flatMap((paragraph) =>
    paragraph
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== '')
      .map((line, i) => ({ text: truncate(line, MAX_LINE_CHARS), spacing: i === 0 ? ('Medium' as const) : ('None' as const) })),
  );
}

function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

function textBlock(text: string, spacing?: Spacing): TextBlock {
  return spacing === undefined ? { type: 'TextBlock', text, wrap: true } : { type: 'TextBlock', text, wrap: true, spacing };
}

/** The SKU list of core/labels: a title naming the model, then one fact per SKU, SKU first. */
function skuContainer(skus: SkuLine[], lang: Lang): Container {
  const list = skuList(skus, lang);
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    items: [
      { type: 'TextBlock', text: list.title, wrap: true, weight: 'Bolder' },
      { type: 'FactSet', facts: list.rows.map((row) => ({ title: row.sku, value: list.showModel ? `${row.service} — ${row.model}` : row.service })) },
    ],
  };
}

function skuLines(skus: SkuLine[], lang: Lang): string[] {
  const list = skuList(skus, lang);
  return [list.title, ...list.rows.map((row) => `${row.sku} — ${list.showModel ? `${row.service} — ${row.model}` : row.service}`)];
}

/**
 * A plain Action.Submit: the choice id travels as the activity's value. (An msteams
 * messageBack sends nothing in the Agents Playground; cards already posted with one still
 * work, since the channel reads the same `choice` from the value.)
 */
export function choiceAction(choice: Choice): SubmitAction {
  return { type: 'Action.Submit', title: choice.label, data: { choice: choice.id } };
}

function choiceRows(choices: Choice[]): ActionSet[] {
  return rows(choices.map(choiceAction));
}

function rows(actions: (SubmitAction | OpenUrlAction)[]): ActionSet[] {
  const sets: ActionSet[] = [];
  for (let i = 0; i < actions.length; i += BUTTONS_PER_ROW) {
    sets.push({ type: 'ActionSet', actions: actions.slice(i, i + BUTTONS_PER_ROW), spacing: i === 0 ? 'Medium' : 'Small' });
  }
  return sets;
}

function openUrl(link: Link): OpenUrlAction {
  return { type: 'Action.OpenUrl', title: truncate(link.title, 80), url: link.url };
}

function webLinks(links: Link[]): Link[] {
  return links.filter((link) => /^https?:\/\//i.test(link.url));
}

function handoffLines(handoff: Handoff, lang: Lang): string[] {
  const lines = [labelled('phone', handoff.phone, lang), fieldLabel('hours', lang), fieldLabel(handoff.open ? 'open' : 'closed', lang)];
  if (!handoff.open && handoff.nextOpen !== null) lines.push(labelled('nextOpen', formatJstTime(handoff.nextOpen, lang), lang));
  return lines;
}

function handoffContainer(handoff: Handoff, lang: Lang): Container {
  const [phone, hours, status, next] = handoffLines(handoff, lang) as [string, string, string, string | undefined];
  const digits = handoff.phone.replace(/[^\d+]/g, '');
  // With a tel: button the number is on the button only, so the box says it once.
  const items: CardElement[] = [
    { type: 'TextBlock', text: digits !== '' ? fieldLabel('phone', lang) : phone, wrap: true, weight: 'Bolder' },
    { type: 'TextBlock', text: hours, wrap: true, spacing: 'None', isSubtle: true },
    { type: 'TextBlock', text: status, wrap: true, spacing: 'Small', color: handoff.open ? 'Good' : 'Attention' },
  ];
  if (next !== undefined) items.push({ type: 'TextBlock', text: next, wrap: true, spacing: 'None' });
  if (digits !== '') items.push({ type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: `📞 ${handoff.phone}`, url: `tel:${digits}` }] });
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
