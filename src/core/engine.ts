// The conversation engine's public face: a turn in, replies out. Channels depend on
// this interface only; they never decide what to say.
import type { Reply } from './reply.ts';
import type { Lang, Turn } from './turn.ts';

export interface Engine {
  /** Handles one user turn; turns of one conversation run one after the other. */
  handle(turn: Turn): Promise<Reply[]>;
  /** The greeting with the topic menu and the call-center box (welcome card, App Home, empty slash command). */
  welcome(lang: Lang, now?: Date): Reply;
  /** The apology with the call center, for when a channel could not deliver an answer. */
  failureReply(lang: Lang, now?: Date): Reply;
}
