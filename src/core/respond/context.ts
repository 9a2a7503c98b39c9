// What every reply builder needs: the knowledge, the clock, the language; plus the small
// helpers that turn knowledge entries into reply fields.
import type { KnowledgeBase } from '../knowledge/load.ts';
import { formatMessage, type MessageKey } from '../knowledge/messages.ts';
import type { LinkEntry } from '../knowledge/schema.ts';
import type { Choice, Handoff, IntentId, Link, Reply } from '../reply.ts';
import type { Lang } from '../turn.ts';
import { deskStatus, type BusinessHours } from '../handoff/hours.ts';
import { formatJstTime } from '../labels.ts';
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

/** The call-center lines: number and hours, open or closed now, what to have ready. */
export function handoffText(ctx: ReplyContext, handoff: Handoff, summary: string | null): string {
  const lines = [
    t(ctx, 'handoff_intro', { phone: handoff.phone }),
    handoff.open ? t(ctx, 'handoff_open') : t(ctx, 'handoff_closed', { next: formatJstTime(handoff.nextOpen!, ctx.lang) }),
    t(ctx, 'handoff_ready'),
  ];
  if (summary) lines.push(t(ctx, 'handoff_summary', { summary }));
  return lines.join('\n');
}

export function menuChoices(ctx: ReplyContext): Choice[] {
  return ctx.kb.menu.map((m) => ({ id: `intent:${m.intent}`, label: m.label[ctx.lang] }));
}

export function intentChoice(ctx: ReplyContext, intent: IntentId): Choice {
  const fromMenu = ctx.kb.menu.find((m) => m.intent === intent);
  const label = fromMenu?.label[ctx.lang] ?? ctx.kb.answers[intent]?.title[ctx.lang] ?? intent;
  return { id: `intent:${intent}`, label };
}

/**
 * A model number as the user typed it, safe to echo: anything shaped like a service SKU inside
 * it is left out, so an echo never prints a SKU that is not in the tables.
 */
export function echoModel(input: string): string {
  return input.replace(/W(?:EXT|ADV|UPG|OE)[A-Z0-9-]*/gi, '…').slice(0, 40);
}
