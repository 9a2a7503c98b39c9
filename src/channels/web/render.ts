// Reply → what the web page shows. The page stays dumb: display labels, the SKU table and
// the call-center box are worded here from core/labels, so every channel names things alike.
import { fieldLabel, formatJstTime, levelLabel, offeringLabel, yearsLabel } from '../../core/labels.ts';
import type { Reply } from '../../core/reply.ts';
import type { Lang } from '../../core/turn.ts';

export interface SkuTable {
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
  display: { skuTable: SkuTable | null; handoff: HandoffBox | null };
}

export function renderForWeb(reply: Reply, lang: Lang): WebReply {
  return { ...reply, display: { skuTable: skuTable(reply, lang), handoff: handoffBox(reply, lang) } };
}

function skuTable(reply: Reply, lang: Lang): SkuTable | null {
  if (reply.skus.length === 0) return null;
  const fields = ['model', 'offering', 'level', 'years', 'sku'] as const;
  return {
    columns: fields.map((field) => fieldLabel(field, lang)),
    rows: reply.skus.map((line) => [
      line.model,
      offeringLabel(line.offering, lang),
      levelLabel(line.level, lang),
      yearsLabel(line.years, lang),
      line.sku,
    ]),
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
    nextOpen: handoff.nextOpen === null ? null : `${fieldLabel('nextOpen', lang)}: ${formatJstTime(handoff.nextOpen, lang)}`,
    hours: fieldLabel('hours', lang),
  };
}
