// The guided dialog's slots (conversation.md §2) in one table: the order questions are
// asked in, each slot's values (the choice ids are `<slot>:<value>`), its question and
// button labels (message keys), and when it is needed. The state type, the choices, the
// labels and the next question all derive from it.
import type { MessageKey } from '../knowledge/messages.ts';

export const SLOT_TABLE = {
  timing: { values: ['new_purchase', 'owned'], question: 'ask_timing' },
  downtime: { values: ['tolerable', 'minimize'], question: 'ask_downtime' },
  /** Only asked when a stop is tolerable: send-back also needs someone to swap the unit. */
  self_service: { values: ['yes', 'no'], question: 'ask_self_service' },
  /** Free text (a model number), or the `unknown` button. */
  model: { values: ['unknown'], question: 'ask_model' },
  /** Only for on-site annual maintenance on the SU groups, the only ones with the upgrade. */
  response_24x7: { values: ['yes', 'no'], question: 'ask_response_24x7' },
  /** Offering-dependent lengths; asked only when more than one exists. */
  years: { values: ['1', '3', '5', '7'], question: 'ask_years' },
} as const satisfies Record<string, { values: readonly string[]; question: MessageKey }>;

export type SlotName = keyof typeof SLOT_TABLE;
export const SLOT_NAMES = Object.keys(SLOT_TABLE) as SlotName[];

type Enumerated = Exclude<SlotName, 'model' | 'years'>;
export type SlotValue<S extends Enumerated> = (typeof SLOT_TABLE)[S]['values'][number];

export function isSlotName(name: string): name is SlotName {
  return Object.hasOwn(SLOT_TABLE, name);
}

/** The values the text understanding may produce per slot (model: only "unknown"). */
export const SLOT_VALUES: Record<SlotName, readonly string[]> = {
  timing: SLOT_TABLE.timing.values,
  downtime: SLOT_TABLE.downtime.values,
  self_service: SLOT_TABLE.self_service.values,
  model: SLOT_TABLE.model.values,
  response_24x7: SLOT_TABLE.response_24x7.values,
  years: SLOT_TABLE.years.values,
};

/** The message key of a button label: `choice_<slot>_<value>`. */
export function choiceLabelKey(slot: SlotName, value: string): MessageKey {
  return `choice_${slot}_${value}` as MessageKey;
}
