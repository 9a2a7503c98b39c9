// Conversation state: plain JSON in the store. The guided dialog is an explicit phase plus
// the slots it has filled; everything else (level, offerings, the next question) is derived.
import type { Choice, Level } from '../reply.ts';
import type { Lang } from '../turn.ts';
import type { SlotName, SlotValue } from './slots.ts';

export { SLOT_NAMES, type SlotName } from './slots.ts';

export type ModelSlot =
  | { kind: 'known'; printed: string }
  | { kind: 'bundled'; printed: string; base: string; level: Level; years: number }
  | { kind: 'unknown'; input: string | null };

/** What the user has told the dialog; the enumerated slots take their values from SLOT_TABLE. */
export type Slots = { [S in Exclude<SlotName, 'model' | 'years'>]?: SlotValue<S> } & {
  model?: ModelSlot;
  years?: number;
};

export type Phase =
  | { kind: 'idle' }
  /** The guided dialog asked this slot and waits for the answer. */
  | { kind: 'asking'; slot: SlotName }
  /** An FAQ interrupted the dialog; "続けますか？" was offered. */
  | { kind: 'paused'; slot: SlotName }
  /** A model number was asked for a SKU lookup or a suffix decode. */
  | { kind: 'awaiting_model'; purpose: 'sku_lookup' | 'bundled_model_decode' };

export interface ConversationState {
  v: 1;
  lang: Lang;
  phase: Phase;
  slots: Slots;
  /** Choices of the last reply: the only choice ids (besides menu ones) accepted next. */
  offered: Choice[];
  /** Turns in a row the bot could not help with; two → offer the handoff. */
  misses: number;
  /** The last model the user named, reused by later questions. */
  lastModel: ModelSlot | null;
  /** The answers behind the last recommendation: a later correction recommends again. */
  concluded?: Slots | null;
  /**
   * Answers told while they did not apply (the 4-hour question for a new purchase), brought
   * back when a correction makes them apply: the user is never asked again what they said.
   */
  held?: Slots | null;
  /** The "did you mean …?" last asked: the same question is never asked twice. */
  nearMiss?: { input: string; suggestions: string[] } | null;
  /**
   * The user's unit was reported failed, with no contract mentioned: "can I join now?" asked
   * in a later turn gets the same honest no as in the same message.
   */
  failed?: boolean | null;
}

export function initialState(lang: Lang): ConversationState {
  return { v: 1, lang, phase: { kind: 'idle' }, slots: {}, offered: [], misses: 0, lastModel: null };
}

/** Accepts only states this version wrote; anything else starts afresh rather than crash. */
export function isConversationState(value: unknown): value is ConversationState {
  return typeof value === 'object' && value !== null && (value as { v?: unknown }).v === 1 && typeof (value as { phase?: unknown }).phase === 'object';
}
