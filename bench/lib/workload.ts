// The conversations every section replays: held-out FAQ questions and full guided dialogs
// driven by their buttons, so the mix exercises understanding, the dialog and the store.
import { readLabelled, type LabelledQuestion } from '../../src/cli/eval-lib.ts';
import type { Reply } from '../../src/core/reply.ts';

export const HELDOUT_FILE = new URL('../../test/eval/heldout.jsonl', import.meta.url).pathname;

export function heldoutQuestions(): LabelledQuestion[] {
  return readLabelled(HELDOUT_FILE);
}

export type Input = { text: string } | { choice: string };

/** Model numbers typed at the model question, alternating with the "don't know" button. */
const TYPED_MODELS = ['SMT1500J', 'SMT750J', 'SMX1500RMJ2U', 'BR550S-JP'];

/**
 * The next input of a guided dialog given the last replies, or undefined when the dialog is
 * over (a recommendation, or nothing left to click). `variant` picks among the offered buttons.
 */
export function nextDialogInput(replies: readonly Pick<Reply, 'choices' | 'recommendation'>[], variant: number): Input | undefined {
  const last = replies.at(-1);
  if (last === undefined || last.recommendation !== null) return undefined;
  const slotChoices = last.choices.filter((c) => !c.id.startsWith('intent:'));
  if (slotChoices.length === 0) return undefined;
  if (slotChoices.every((c) => c.id === 'model:unknown') && variant % 2 === 0) return { text: TYPED_MODELS[(variant >> 1) % TYPED_MODELS.length]! };
  return { choice: slotChoices[variant % slotChoices.length]!.id };
}

export const START_DIALOG: Input = { choice: 'intent:recommend_service' };

/**
 * Conversation k of the mix: even k asks two held-out questions, odd k runs a guided dialog to
 * its recommendation (five or six turns, mostly button clicks).
 */
export async function runConversation(
  k: number,
  questions: readonly LabelledQuestion[],
  send: (input: Input) => Promise<readonly Pick<Reply, 'choices' | 'recommendation'>[]>,
): Promise<number> {
  if (k % 2 === 0) {
    await send({ text: questions[k % questions.length]!.text });
    await send({ text: questions[(k * 7 + 3) % questions.length]!.text });
    return 2;
  }
  let turns = 1;
  let replies = await send(START_DIALOG);
  for (let input = nextDialogInput(replies, k); input !== undefined && turns < 12; input = nextDialogInput(replies, k + turns)) {
    replies = await send(input);
    turns++;
  }
  return turns;
}
