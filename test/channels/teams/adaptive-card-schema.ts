// The Adaptive Card 1.5 subset our cards may use, strict: an unknown element, action or
// property fails the test (Teams drops cards it cannot parse, silently for the user).
import { z } from 'zod';

const spacing = z.enum(['None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding']).optional();

const textBlock = z.strictObject({
  type: z.literal('TextBlock'),
  text: z.string().min(1),
  wrap: z.literal(true),
  spacing,
  separator: z.boolean().optional(),
  weight: z.enum(['Default', 'Lighter', 'Bolder']).optional(),
  size: z.enum(['Default', 'Small', 'Medium', 'Large', 'ExtraLarge']).optional(),
  color: z.enum(['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention']).optional(),
  isSubtle: z.boolean().optional(),
});

const factSet = z.strictObject({
  type: z.literal('FactSet'),
  facts: z.array(z.strictObject({ title: z.string().min(1), value: z.string().min(1) })).min(1),
  spacing,
  separator: z.boolean().optional(),
});

const submit = z.strictObject({
  type: z.literal('Action.Submit'),
  title: z.string().min(1),
  // Plain data: an msteams messageBack sends nothing in the Agents Playground.
  data: z.strictObject({ choice: z.string().min(1) }),
});

const openUrl = z.strictObject({
  type: z.literal('Action.OpenUrl'),
  title: z.string().min(1),
  url: z.string().regex(/^(https?:\/\/[^\s]+|tel:\+?\d+)$/),
});

const action = z.discriminatedUnion('type', [submit, openUrl]);

const actionSet = z.strictObject({
  type: z.literal('ActionSet'),
  actions: z.array(action).min(1).max(6),
  spacing,
  separator: z.boolean().optional(),
});

type Element = z.infer<typeof textBlock> | z.infer<typeof factSet> | z.infer<typeof actionSet> | { type: 'Container'; items: Element[] };

const element: z.ZodType<Element> = z.lazy(() => z.discriminatedUnion('type', [textBlock, factSet, actionSet, container]));

const container = z.strictObject({
  type: z.literal('Container'),
  items: z.array(element).min(1),
  spacing,
  separator: z.boolean().optional(),
  style: z.enum(['default', 'emphasis', 'good', 'attention', 'warning', 'accent']).optional(),
});

export const AdaptiveCard15Schema = z.strictObject({
  type: z.literal('AdaptiveCard'),
  $schema: z.literal('http://adaptivecards.io/schemas/adaptive-card.json'),
  version: z.literal('1.5'),
  body: z.array(element).min(1),
  actions: z.array(action).max(6).optional(),
  fallbackText: z.string().min(1),
  msteams: z.strictObject({ width: z.literal('Full') }).optional(),
});

/** A posted message: the SDK adds the conversation reference around what render.ts made. */
export const TeamsCardMessageSchema = z.looseObject({
  type: z.literal('message'),
  summary: z.string(),
  attachments: z
    .array(z.strictObject({ contentType: z.literal('application/vnd.microsoft.card.adaptive'), content: AdaptiveCard15Schema }))
    .length(1),
});

/** Every element of the card, depth first. */
export function elementsOf(card: { body: unknown[] }): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (items: unknown[]) => {
    for (const item of items as Record<string, unknown>[]) {
      out.push(item);
      if (Array.isArray(item['items'])) walk(item['items']);
    }
  };
  walk(card.body);
  return out;
}
