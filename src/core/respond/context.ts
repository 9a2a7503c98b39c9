// What every reply builder needs: the knowledge, the clock, the language; plus the small
// helpers that turn knowledge entries into reply fields.
import type { KnowledgeBase } from '../knowledge/load.ts';
import { formatMessage, type MessageKey } from '../knowledge/messages.ts';
import type { LinkEntry } from '../knowledge/schema.ts';
import type { Choice, Handoff, IntentId, Link, Reply } from '../reply.ts';
import type { Lang } from '../turn.ts';
import { deskStatus, jstDate, type BusinessHours } from '../handoff/hours.ts';
import type { ModelIndex } from '../sku/model.ts';

export interface ReplyContext {
  kb: KnowledgeBase;
  models: ModelIndex;
  hours: BusinessHours;
  lang: Lang;
  now: Date;
}

export function t(ctx: ReplyContext, key: MessageKey, vars?: Record<string, string | number>): string {
  return formatMessage(ctx.kb.messages, key, ctx.lang, vars);
}

export function emptyReply(text: string, intent: Reply['intent'], confidence: number): Reply {
  return { text, intent, confidence, choices: [], skus: [], recommendation: null, handoff: null, links: [] };
}

export function toLinks(ctx: ReplyContext, entries: readonly LinkEntry[]): Link[] {
  return entries.map((e) => ({ title: e.title[ctx.lang], url: e.url }));
}

export function contactLink(ctx: ReplyContext, id: string): Link[] {
  const entry = ctx.kb.contact.links.find((l) => l.id === id);
  return entry === undefined ? [] : [{ title: entry.title[ctx.lang], url: entry.url }];
}

export function handoffField(ctx: ReplyContext): Handoff {
  const status = deskStatus(ctx.now, ctx.hours);
  return { phone: ctx.kb.contact.callCenter.phone, open: status.open, nextOpen: status.nextOpen };
}

/**
 * The call-center lines of a reply's text. The number is said once; the hours, "open now" and
 * the next opening are not repeated here, the call-center box (the `handoff` field) shows them.
 * What to have ready, the assumed company holiday when it is what closes the desk, and what
 * the user has told us so far.
 */
export function handoffText(ctx: ReplyContext, handoff: Handoff, summary: string | null): string {
  const lines = [t(ctx, 'handoff_intro', { phone: handoff.phone }), t(ctx, 'handoff_ready')];
  const assumed = assumedHolidaysUntil(ctx, handoff);
  if (assumed !== null) lines.push(t(ctx, 'handoff_assumed_holiday', { dates: assumed }));
  if (summary) lines.push(t(ctx, 'handoff_summary', { summary }));
  return lines.join('\n');
}

/**
 * "12/29〜1/3" when the desk is closed now on, or until, a company holiday taken from
 * contact.yaml: those dates are the usual year-end closing days, assumed (the brochure lists
 * none), so the user is told. Null when no assumed holiday keeps the desk closed.
 */
export function assumedHolidaysUntil(ctx: ReplyContext, handoff: Handoff): string | null {
  if (handoff.open || handoff.nextOpen === null) return null;
  const assumed = new Set(ctx.kb.contact.callCenter.companyHolidays);
  const until = handoff.nextOpen.slice(0, 10);
  const days: string[] = [];
  for (let day = jstDate(ctx.now); day < until; day = nextDay(day)) if (assumed.has(day)) days.push(day);
  if (days.length === 0) return null;
  const md = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;
  // One span from the first to the last assumed day (a public holiday inside it, 1/1, included).
  const first = days[0]!;
  const last = days.at(-1)!;
  return first === last ? md(first) : `${md(first)}${ctx.lang === 'ja' ? '〜' : '–'}${md(last)}`;
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The link to a SKU table's source page, titled by what it opens (the service handbook, not "the table"). */
export function tableSourceLink(ctx: ReplyContext, table: { title: Record<Lang, string>; source: string }): Link {
  const known = ctx.kb.contact.links.find((l) => l.url === table.source);
  return { title: known ? known.title[ctx.lang] : table.title[ctx.lang], url: table.source };
}

/** Small talk and control intents are never offered as "did you mean …?" candidates. */
const NEVER_CANDIDATES = new Set<IntentId>(['out_of_scope', 'thanks', 'greeting', 'restart', 'help']);

/** The "did you mean …?" candidates among ranked intents: at most three topics a user could have meant. */
export function candidateIntents(ranked: readonly { intent: IntentId }[]): Exclude<IntentId, 'out_of_scope'>[] {
  return ranked
    .map((r) => r.intent)
    .filter((intent): intent is Exclude<IntentId, 'out_of_scope'> => !NEVER_CANDIDATES.has(intent))
    .slice(0, 3);
}

export function menuChoices(ctx: ReplyContext): Choice[] {
  return ctx.kb.menu.map((m) => ({ id: `intent:${m.intent}`, label: m.label[ctx.lang] }));
}

export function intentChoice(ctx: ReplyContext, intent: IntentId): Choice {
  const fromMenu = ctx.kb.menu.find((m) => m.intent === intent);
  const label = fromMenu?.label[ctx.lang] ?? ctx.kb.answers[intent]?.title[ctx.lang] ?? intent;
  return { id: `intent:${intent}`, label };
}
