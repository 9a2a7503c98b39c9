// What a channel hands to the engine: one user turn, already stripped of transport details.
import { z } from 'zod';

export const LANGS = ['ja', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const TurnSchema = z
  .object({
    /** Stable key of the conversation, chosen by the channel (e.g. `slack:T1:C1:1700000000.0001`). */
    conversation: z.string().min(1).max(512),
    /** What the user typed; channels strip mentions and markup first. */
    text: z.string().optional(),
    /** A choice id from a previous reply's `choices`, e.g. `downtime:minimize`. */
    choice: z.string().max(200).optional(),
    /** The clock for open/closed answers; defaults to now. */
    now: z.date().optional(),
    /** The language the channel or browser prefers; the text's own language wins when clear. */
    locale: z.enum(LANGS).optional(),
  })
  .refine((t) => t.text !== undefined || t.choice !== undefined, {
    message: 'a turn needs text or a choice',
  });
export type Turn = z.infer<typeof TurnSchema>;
