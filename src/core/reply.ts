// The reply object of conversation.md §5: the one thing the engine hands to every
// channel and to the `converse` mode. A public contract: every field is always present.
import { z } from 'zod';

export const INTENT_IDS = [
  'service_role',
  'warranty_coverage',
  'paid_options',
  'annual_levels',
  'after_warranty_enrollment',
  'offering_comparison',
  'sendback_vs_onsite',
  'annual_application',
  'service_pack_registration',
  'bundled_models',
  'battery_coverage',
  'registration',
  'certificate',
  'failure_support',
  'contact',
  'trade_ups',
  'pricing',
  'warranty_period',
  'sku_lookup',
  'bundled_model_decode',
  'recommend_service',
  'greeting',
  'thanks',
  'help',
  'restart',
  'human_handoff',
  'out_of_scope',
] as const;
export type IntentId = (typeof INTENT_IDS)[number];
export const IntentIdSchema = z.enum(INTENT_IDS);

export const LEVELS = ['sendback', 'nbd_onsite', '4h_onsite'] as const;
export type Level = (typeof LEVELS)[number];
export const LevelSchema = z.enum(LEVELS);

export const OFFERINGS = ['annual', 'service_pack', 'bundled'] as const;
export type Offering = (typeof OFFERINGS)[number];
export const OfferingSchema = z.enum(OFFERINGS);

export const ChoiceSchema = z.object({
  id: z.string().min(1).max(100),
  label: z.string().min(1).max(200),
});
export type Choice = z.infer<typeof ChoiceSchema>;

export const SkuLineSchema = z.object({
  sku: z.string().min(1),
  model: z.string().min(1),
  offering: OfferingSchema,
  level: LevelSchema,
  years: z.number().int().positive(),
});
export type SkuLine = z.infer<typeof SkuLineSchema>;

export const RecommendationSchema = z.object({
  level: LevelSchema,
  offerings: z.array(OfferingSchema).min(1),
  years: z.number().int().positive().nullable(),
  model: z.string().nullable(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const HandoffSchema = z.object({
  phone: z.string(),
  open: z.boolean(),
  /** ISO 8601 with +09:00; null while the desk is open. */
  nextOpen: z.string().nullable(),
});
export type Handoff = z.infer<typeof HandoffSchema>;

export const LinkSchema = z.object({
  title: z.string().min(1),
  url: z.url(),
});
export type Link = z.infer<typeof LinkSchema>;

export const ReplySchema = z
  .object({
    text: z.string().min(1),
    /** null only when nothing matched (out_of_scope). */
    intent: IntentIdSchema.exclude(['out_of_scope']).nullable(),
    confidence: z.number().min(0).max(1),
    choices: z.array(ChoiceSchema),
    skus: z.array(SkuLineSchema),
    recommendation: RecommendationSchema.nullable(),
    handoff: HandoffSchema.nullable(),
    links: z.array(LinkSchema),
  })
  .strict();
export type Reply = z.infer<typeof ReplySchema>;
