// zod schemas of every knowledge file. Each file carries `schemaVersion: 1`.
import { z } from 'zod';
import { IntentIdSchema, LevelSchema, OfferingSchema } from '../reply.ts';

export const Localized = z.object({ ja: z.string().min(1), en: z.string().min(1) }).strict();
export type Localized = z.infer<typeof Localized>;
const LocalizedList = z.object({ ja: z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) }).strict();

const LinkEntry = z.object({ title: Localized, url: z.url() }).strict();
export type LinkEntry = z.infer<typeof LinkEntry>;

/** A printed service SKU: upper-case letters, digits and hyphens; or "-" for a cell printed as not offered. */
const SkuCell = z.union([z.literal('-'), z.string().regex(/^[A-Z0-9][A-Z0-9-]{4,40}$/, 'not a SKU as printed (A–Z, 0–9, -)')]);
const ModelNumber = z.string().regex(/^[A-Z0-9]+(-JP)?$/, 'not a model number as printed');

export const SkuTableFile = z
  .object({
    schemaVersion: z.literal(1),
    table: OfferingSchema.exclude(['bundled']),
    title: Localized,
    source: z.url(),
    columns: z
      .array(
        z
          .object({
            id: z.string().min(1),
            level: LevelSchema,
            years: z.number().int().positive(),
            upgradeOf: z.string().optional(),
            label: Localized,
          })
          .strict(),
      )
      .min(1),
    groups: z
      .array(
        z
          .object({
            id: z.string().min(1),
            series: z.enum(['SU', 'BE/BR']),
            models: z.array(ModelNumber).min(1),
            cells: z.record(z.string(), SkuCell),
          })
          .strict(),
      )
      .min(1),
    sharedSkus: z.array(z.string()),
    doubts: z.array(z.object({ value: z.string(), where: z.string(), note: z.string() }).strict()),
  })
  .strict();
export type SkuTableFile = z.infer<typeof SkuTableFile>;

export const AnswersFile = z
  .object({
    schemaVersion: z.literal(1),
    answers: z.record(
      z.string(),
      z.object({ title: Localized, ja: z.string().min(1), en: z.string().min(1), links: z.array(LinkEntry), handoff: z.boolean() }).strict(),
    ),
    menu: z.array(z.object({ intent: IntentIdSchema, label: Localized }).strict()).min(1).max(12),
  })
  .strict();
export type AnswersFile = z.infer<typeof AnswersFile>;
export type Answer = AnswersFile['answers'][string];

export const ServicesFile = z
  .object({
    schemaVersion: z.literal(1),
    levels: z.array(z.object({ id: LevelSchema, name: Localized, summary: Localized, fits: LocalizedList }).strict()).length(3),
    offerings: z
      .array(
        z
          .object({
            id: OfferingSchema,
            name: Localized,
            purchase: Localized,
            levels: z.array(LevelSchema).min(1),
            years: z.array(z.number().int().positive()).min(1),
            receives: Localized,
            apply: Localized,
            merits: LocalizedList,
          })
          .strict(),
      )
      .length(3),
    bundled: z
      .object({
        suffixes: z.array(z.object({ suffix: z.string().regex(/^(\dW|OS\d)$/), level: LevelSchema, years: z.number().int() }).strict()).min(1),
        modelList: z.url(),
        battery: z.object({ leadAcidMaxYears: z.number(), leadAcidPreventiveReplacements: z.number(), lithiumMaxYears: z.number() }).strict(),
        savingExample: z.object({ bundledModel: ModelNumber, baseModel: ModelNumber, percent: z.number(), doubt: z.string() }).strict(),
      })
      .strict(),
    trade_ups: z.object({ validMonths: z.number().int().positive(), steps: LocalizedList }).strict(),
  })
  .strict();
export type ServicesFile = z.infer<typeof ServicesFile>;

const IsoDate = z.iso.date();

export const ContactFile = z
  .object({
    schemaVersion: z.literal(1),
    callCenter: z
      .object({
        name: Localized,
        phone: z.string().regex(/^0\d{1,4}-\d{1,4}-\d{4}$/),
        tel: z.string().regex(/^\+\d{8,15}$/),
        timeZone: z.literal('Asia/Tokyo'),
        opens: z.string().regex(/^\d{2}:\d{2}$/),
        closes: z.string().regex(/^\d{2}:\d{2}$/),
        companyHolidays: z.array(z.union([IsoDate, z.date().transform((d) => d.toISOString().slice(0, 10))])),
      })
      .strict(),
    links: z.array(z.object({ id: z.string().min(1), title: Localized, url: z.url() }).strict()).min(1),
  })
  .strict();
export type ContactFile = z.infer<typeof ContactFile>;

export const MessagesFile = z
  .object({
    schemaVersion: z.literal(1),
    messages: z.record(z.string(), Localized),
  })
  .strict();
export type MessagesFile = z.infer<typeof MessagesFile>;

export const IntentExamplesFile = z
  .object({
    schemaVersion: z.literal(1),
    intent: IntentIdSchema,
    examples: z.object({ ja: z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) }).strict(),
  })
  .strict();
export type IntentExamplesFile = z.infer<typeof IntentExamplesFile>;
