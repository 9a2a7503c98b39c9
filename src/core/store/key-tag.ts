// Conversation keys can be bearer tokens (a web chat id lets whoever knows it continue the
// conversation), so logs carry a short hash of them instead: enough to follow one
// conversation through the lines, useless to resume it.
import { createHash } from 'node:crypto';

/** `web:3q2+7w0AbC` for `web:<id>`: the channel prefix stays readable, the rest is hashed. */
export function keyTag(key: string): string {
  const colon = key.indexOf(':');
  const prefix = colon > 0 && colon <= 16 ? key.slice(0, colon + 1) : '';
  return `${prefix}${createHash('sha256').update(key).digest('base64url').slice(0, 12)}`;
}
