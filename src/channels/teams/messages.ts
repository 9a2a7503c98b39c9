// The few words the channel says on its own, when the engine could not answer at all.
// Everything else the user reads comes from the engine's replies.
import type { Lang } from '../../core/turn.ts';
import { fieldLabel } from '../../core/labels.ts';

// Same desk as the engine's handoff; repeated here because this text is for when the engine failed.
const CALL_CENTER_PHONE = '03-4578-4697';

export function apologyText(lang: Lang): string {
  const desk = `${fieldLabel('phone', lang)} ${CALL_CENTER_PHONE} (${fieldLabel('hours', lang)})`;
  return lang === 'ja'
    ? `申し訳ありません。処理中に問題が発生しました。もう一度お試しいただくか、${desk} までお電話ください。`
    : `Sorry, something went wrong on our side. Please try again, or call the ${desk}.`;
}
