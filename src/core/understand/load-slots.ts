// Loads intents/slots.yaml and cross-checks it against the dialog's slot table: every slot
// it names exists and every value it can produce is a choice value of that slot.
import { DEFAULT_INTENTS_DIR, KnowledgeError, loadIntentExamples, readYaml, type IntentExamples } from '../knowledge/load.ts';
import { SLOT_VALUES, isSlotName } from '../dialog/slots.ts';
import { SlotsFile, createSlotReader, type SlotReader } from './slot-facts.ts';

export function loadSlotPhrases(intentsDir: string = DEFAULT_INTENTS_DIR): SlotsFile {
  const file = readYaml(intentsDir, 'slots.yaml', SlotsFile);
  for (const [slot, def] of Object.entries(file.slots)) {
    if (!isSlotName(slot) || slot === 'years') throw new KnowledgeError('slots.yaml', `slots.${slot}`, 'not a phrase-read slot of the dialog');
    def.cues.forEach((cue, i) => {
      for (const v of [cue.value, cue.negated]) {
        if (v !== undefined && v !== 'none' && !SLOT_VALUES[slot].includes(v)) {
          throw new KnowledgeError('slots.yaml', `slots.${slot}.cues.${i}`, `"${v}" is not a value of ${slot} (${SLOT_VALUES[slot].join(', ')})`);
        }
      }
    });
  }
  for (const y of file.years.allowed) {
    if (!SLOT_VALUES.years.includes(String(y))) throw new KnowledgeError('slots.yaml', 'years.allowed', `${y} is not a choice value of years`);
  }
  return file;
}

/** examples: the intent examples when already loaded (buildEngine), else read from intentsDir. */
export function loadSlotReader(intentsDir?: string, examples: IntentExamples = loadIntentExamples(intentsDir)): SlotReader {
  // The English words of the intent examples are real words people type: never typos.
  const english = [...examples.values()].flatMap((e) => e.en);
  const realWords = new Set(english.flatMap((text) => text.toLowerCase().match(/[a-z]+/g) ?? []));
  return createSlotReader(loadSlotPhrases(intentsDir), SLOT_VALUES, realWords);
}
