// `npm run --silent converse`: the JSON-lines contract of conversation.md §5. One JSON line
// out per line in; nothing else on standard output (logs go to standard error).
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { buildEngine } from '../core/index.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';

const InputLine = z
  .object({
    conversation: z.string().min(1).max(512),
    text: z.string().max(100_000).optional(),
    choice: z.string().max(200).optional(),
    now: z.iso.datetime({ offset: true }).optional(),
    locale: z.enum(['ja', 'en']).optional(),
  })
  .refine((l) => l.text !== undefined || l.choice !== undefined, { message: 'needs "text" or "choice"' });

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const engine = await buildEngine({ companyHolidays: config.companyHolidays, logger, stateTtlSeconds: config.stateTtlSeconds });
  const write = (obj: unknown) => process.stdout.write(`${JSON.stringify(obj)}\n`);

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const raw of lines) {
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      write({ conversation: null, error: { code: 'invalid_json', message: 'the line is not valid JSON' }, replies: [] });
      continue;
    }
    const parsed = InputLine.safeParse(json);
    if (!parsed.success) {
      const conversation = typeof (json as { conversation?: unknown })?.conversation === 'string' ? (json as { conversation: string }).conversation : null;
      const issue = parsed.error.issues[0]!;
      write({ conversation, error: { code: 'invalid_input', message: `${issue.path.join('.') || 'line'}: ${issue.message}` }, replies: [] });
      continue;
    }
    const { conversation, text, choice, now, locale } = parsed.data;
    try {
      const { lang, replies } = await engine.handle({
        conversation,
        ...(text !== undefined ? { text } : {}),
        ...(choice !== undefined ? { choice } : {}),
        ...(now !== undefined ? { now: new Date(now) } : {}),
        ...(locale !== undefined ? { locale } : {}),
      });
      write({ conversation, lang, replies });
    } catch (err) {
      logger.error({ err, conversation }, 'turn failed');
      write({ conversation, error: { code: 'turn_failed', message: 'the turn could not be handled' }, replies: [] });
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`converse: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
