// The reply object as JSON Schema, for consumers outside TypeScript.
import { z } from 'zod';
import { ReplySchema } from './reply.ts';

export function replyJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://github.com/apc-ups-maintenance-bot/schemas/reply.schema.json',
    title: 'Reply',
    description: 'One reply of the UPS maintenance support bot (conversation.md §5).',
    ...z.toJSONSchema(ReplySchema, { target: 'draft-2020-12' }),
  };
}
