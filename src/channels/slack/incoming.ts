// Slack's message markup → the plain text the engine expects. Mentions and broadcasts
// (<@U…>, <!channel>, <!subteam^…>) are removed here, before the engine sees them, so no
// answer can ever echo a ping back into a channel.
const MENTION_OR_BROADCAST = /<[!@][^<>]*>/g;
const CHANNEL_LINK = /<#[A-Z0-9]+(?:\|([^<>]*))?>/g;
const LINK = /<((?:https?|mailto|tel):[^<>|]*)(?:\|([^<>]*))?>/g;

export function cleanIncomingText(text: string): string {
  const plain = text
    .replace(MENTION_OR_BROADCAST, ' ')
    .replace(CHANNEL_LINK, (_m, name: string | undefined) => (name ? `#${name}` : ' '))
    .replace(LINK, (_m, url: string, label: string | undefined) => label ?? url)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  // A user can also type the markup literally (Slack sends it escaped); remove it again.
  return plain
    .replace(MENTION_OR_BROADCAST, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}
