// Reply → what the web page shows. The page stays dumb: display labels, the SKU table and
// the call-center box are worded here from core/labels, so every channel names things alike.
import { fieldLabel, formatJstTime, labelled, skuList, withoutSkuSummary } from '../../core/labels.ts';
import type { Reply } from '../../core/reply.ts';
import type { Lang } from '../../core/turn.ts';

/** The SKU list of core/labels as a table: the SKU is the first cell of every row. */
export interface SkuTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

export interface HandoffBox {
  title: string;
  phone: string;
  /** `tel:0345784697`: digits only, so every phone dials it. */
  href: string;
  open: boolean;
  status: string;
  /** e.g. "次の受付開始: 11月30日(月) 9:00"; null while the desk is open. */
  nextOpen: string | null;
  hours: string;
}

export interface WebReply extends Reply {
  display: {
    skuTable: SkuTable | null;
    handoff: HandoffBox | null;
    /**
     * Where the keyboard goes after a click: the first choice when the choices answer the
     * question, the text input when a typed answer is expected (a model number, a question).
     */
    focus: 'choices' | 'input';
  };
}

export function renderForWeb(reply: Reply, lang: Lang): WebReply {
  // The page shows the SKU table: the text's own SKU line would say them twice.
  return { ...reply, text: withoutSkuSummary(reply.text, reply.skus, lang), display: { skuTable: skuTable(reply, lang), handoff: handoffBox(reply, lang), focus: focusOf(reply) } };
}

/** Choices that are a way out (start over, "I don't know the model", a topic) rather than an answer. */
function isEscape(id: string): boolean {
  return id === 'model:unknown' || id.startsWith('intent:');
}

function focusOf(reply: Reply): 'choices' | 'input' {
  return reply.choices.some((c) => !isEscape(c.id)) ? 'choices' : 'input';
}

function skuTable(reply: Reply, lang: Lang): SkuTable | null {
  if (reply.skus.length === 0) return null;
  const list = skuList(reply.skus, lang);
  return {
    caption: list.title,
    columns: [fieldLabel('sku', lang), fieldLabel('service', lang), ...(list.showModel ? [fieldLabel('model', lang)] : [])],
    rows: list.rows.map((row) => [row.sku, row.service, ...(list.showModel ? [row.model] : [])]),
  };
}

function handoffBox(reply: Reply, lang: Lang): HandoffBox | null {
  const handoff = reply.handoff;
  if (handoff === null) return null;
  return {
    title: fieldLabel('phone', lang),
    phone: handoff.phone,
    href: `tel:${handoff.phone.replace(/[^\d+]/g, '')}`,
    open: handoff.open,
    status: fieldLabel(handoff.open ? 'open' : 'closed', lang),
    nextOpen: handoff.nextOpen === null ? null : labelled('nextOpen', formatJstTime(handoff.nextOpen, lang), lang),
    hours: fieldLabel('hours', lang),
  };
}
