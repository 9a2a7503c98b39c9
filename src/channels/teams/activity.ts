// The incoming Bot Framework activity as this channel reads it, validated before the SDK
// sees it: a malformed body gets a 4xx instead of an exception deep inside the adapter.
import { z } from 'zod';

const ChannelAccountSchema = z.looseObject({
  id: z.string().min(1).max(1024),
  name: z.string().max(1024).optional(),
});

const EntitySchema = z.looseObject({ type: z.string() });

export const IncomingActivitySchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: z.string().max(1024).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().max(2048).refine((s) => URL.canParse(s), 'must be a URL'),
  conversation: z.looseObject({
    id: z.string().min(1).max(1024),
    conversationType: z.string().max(64).optional(),
    isGroup: z.boolean().optional(),
  }),
  from: ChannelAccountSchema.optional(),
  // The bot itself; the SDK cannot address a reply without it (it would answer 500).
  recipient: ChannelAccountSchema,
  text: z.string().max(40_000).optional(),
  value: z.unknown().optional(),
  locale: z.string().max(64).optional(),
  entities: z.array(EntitySchema).max(100).optional(),
  membersAdded: z.array(ChannelAccountSchema).max(1000).optional(),
});
export type IncomingActivity = z.infer<typeof IncomingActivitySchema>;

/** A short, log-friendly reason why a body is not an activity (no user text in it). */
export function describeInvalidActivity(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Replies go to the activity's serviceUrl. Without credentials nothing proves the caller is
 * the Bot Connector, so only this machine may be the target (the Emulator, local tests);
 * anything else would let any caller make the bot post wherever it likes.
 */
export function isLoopbackServiceUrl(serviceUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  // WHATWG URL has already normalised shorthand forms (127.1, 0x7f.0.0.1) to dotted quads.
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The TCP peer is this machine: 127.0.0.0/8, ::1, or either written as an IPv4-mapped IPv6
 * address. Without credentials only such callers are served; a web page or a LAN host that
 * reaches a server listening on 0.0.0.0 is refused.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.toLowerCase().replace(/^::ffff:/, '');
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** "ja-JP" → ja, "en-US" → en; anything else leaves the choice to the engine. */
export function langOfLocale(locale: string | undefined): 'ja' | 'en' | undefined {
  const primary = locale?.toLowerCase().split(/[-_]/)[0];
  return primary === 'ja' || primary === 'en' ? primary : undefined;
}

/** Teams also reports the client's locale in a clientInfo entity; the activity's own wins. */
export function activityLocale(activity: IncomingActivity): string | undefined {
  if (activity.locale !== undefined) return activity.locale;
  const clientInfo = activity.entities?.find((e) => e.type === 'clientInfo');
  const locale = clientInfo?.['locale'];
  return typeof locale === 'string' ? locale : undefined;
}
