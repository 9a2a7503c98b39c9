// The conversation engine's public face: a turn in, replies out. Channels depend on
// this interface only; they never decide what to say.
import type { Reply } from './reply.ts';
import type { Lang, Turn } from './turn.ts';

/** What one turn produces: the replies and the language the engine chose for them. */
export interface TurnResult {
  /** Every channel renders the replies' labels in this language; none guesses from the text. */
  lang: Lang;
  replies: Reply[];
}

export interface Engine {
  /** Handles one user turn; turns of one conversation run one after the other. */
  handle(turn: Turn): Promise<TurnResult>;
  /** The greeting with the topic menu and the call-center box (welcome card, App Home, empty slash command). */
  welcome(lang: Lang, now?: Date): Reply;
  /** The apology with the call center, for when a channel could not deliver an answer. */
  failureReply(lang: Lang, now?: Date): Reply;
}
