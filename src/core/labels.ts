// Display names of service levels and offerings, and the one SKU list shape every channel
// renders (web table, Block Kit, Adaptive Card, terminal), so they all show SKUs alike.
import type { Level, Offering, SkuLine } from './reply.ts';
import type { Lang } from './turn.ts';

const LEVEL_LABELS: Record<Level, Record<Lang, string>> = {
  sendback: { ja: 'センドバック', en: 'Send-back' },
  nbd_onsite: { ja: '翌営業日オンサイト', en: 'Next-business-day on-site' },
  '4h_onsite': { ja: '4時間オンサイト（7x24）', en: '4-hour on-site (7x24)' },
};

const OFFERING_LABELS: Record<Offering, Record<Lang, string>> = {
  annual: { ja: '年間保守サービス', en: 'Annual maintenance' },
  service_pack: { ja: 'サービスパック', en: 'Service pack' },
  bundled: { ja: '製品保証延長サービス付きUPS', en: 'UPS with extended warranty' },
};

const FIELD_LABELS = {
  sku: { ja: 'サービス型番', en: 'SKU' },
  model: { ja: 'UPS型番', en: 'Model' },
  offering: { ja: '提供形態', en: 'Offering' },
  level: { ja: 'レベル', en: 'Level' },
  years: { ja: '年数', en: 'Years' },
  phone: { ja: 'コールセンター', en: 'Call center' },
  open: { ja: '受付中です', en: 'Open now' },
  closed: { ja: '現在は受付時間外です', en: 'Closed now' },
  nextOpen: { ja: '次の受付開始', en: 'Opens next' },
  hours: { ja: '平日 9:00〜17:00（土日祝・弊社指定休業日を除く）', en: 'Weekdays 9:00–17:00 JST (except weekends, public and company holidays)' },
  skusFor: { ja: 'サービス型番', en: 'Service SKUs' },
  skuSummary: { ja: '該当する型番', en: 'SKUs' },
  service: { ja: '内容', en: 'Service' },
} as const satisfies Record<string, Record<Lang, string>>;

export type FieldLabel = keyof typeof FIELD_LABELS;

export function levelLabel(level: Level, lang: Lang): string {
  return LEVEL_LABELS[level][lang];
}

export function offeringLabel(offering: Offering, lang: Lang): string {
  return OFFERING_LABELS[offering][lang];
}

export function fieldLabel(field: FieldLabel, lang: Lang): string {
  return FIELD_LABELS[field][lang];
}

/** "次の受付開始：12/2（水）9:00" / "Opens next: Wed 2 Dec, 9:00 JST": a label and its value. */
export function labelled(field: FieldLabel, value: string, lang: Lang): string {
  return `${fieldLabel(field, lang)}${lang === 'ja' ? '：' : ': '}${value}`;
}

export function yearsLabel(years: number, lang: Lang): string {
  return lang === 'ja' ? `${years}年` : `${years} year${years === 1 ? '' : 's'}`;
}

/** "2026-11-30T09:00:00+09:00" → "11/30（月）9:00" / "Mon 30 Nov, 9:00 JST". */
export function formatJstTime(iso: string, lang: Lang): string {
  const parts = JST_FORMAT[lang].format(new Date(iso));
  // Japanese text takes full-width brackets: "11/30（月）9:00".
  return lang === 'ja' ? parts.replace(/\((.)\)\s*/u, '（$1）') : `${parts} JST`;
}

// Built once: an Intl.DateTimeFormat is costly to create.
const JST_FORMAT: Record<Lang, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', month: 'short', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit' }),
};

export interface SkuRow {
  sku: string;
  model: string;
  /** "年間保守サービス・翌営業日オンサイト・1年" / "Annual maintenance, next-business-day on-site, 1 year". */
  service: string;
}

export interface SkuList {
  /** "サービス型番（SMT1500J）" when every row is for one model, else "サービス型番". */
  title: string;
  /** False when every row is for the same model: the title names it, the rows do not repeat it. */
  showModel: boolean;
  rows: SkuRow[];
}

/** The SKU list as every channel shows it: SKU first, what it is, the model only when it varies. */
export function skuList(skus: readonly SkuLine[], lang: Lang): SkuList {
  const models = [...new Set(skus.map((s) => s.model))];
  const single = models.length === 1 ? models[0]! : null;
  const title = single === null ? fieldLabel('skusFor', lang) : lang === 'ja' ? `${fieldLabel('skusFor', lang)}（${single}）` : `${fieldLabel('skusFor', lang)} (${single})`;
  const join = lang === 'ja' ? '・' : ', ';
  return {
    title,
    showModel: single === null,
    rows: skus.map((s) => ({
      sku: s.sku,
      model: s.model,
      service: [offeringLabel(s.offering, lang), lang === 'ja' ? levelLabel(s.level, lang) : levelLabel(s.level, lang).toLowerCase(), yearsLabel(s.years, lang)].join(join),
    })),
  };
}

/**
 * The last line of a reply's text that names its SKUs ("該当する型番：WEXTIYR-SU-02、WEXT3YR-SU-02"),
 * so that the plain text (converse, a notification, a screen reader) carries them too. The
 * channels show the SKU list instead and drop this line (withoutSkuSummary): SKUs appear once.
 */
export function skuSummary(skus: readonly SkuLine[], lang: Lang): string {
  const unique = [...new Set(skus.map((s) => s.sku))];
  return labelled('skuSummary', unique.join(lang === 'ja' ? '、' : ', '), lang);
}

/** The text without its SKU summary line, for a channel that renders `skus` as a list. */
export function withoutSkuSummary(text: string, skus: readonly SkuLine[], lang: Lang): string {
  if (skus.length === 0) return text;
  const line = skuSummary(skus, lang);
  if (text === line) return '';
  return text.endsWith(`\n${line}`) ? text.slice(0, -(line.length + 1)) : text;
}
