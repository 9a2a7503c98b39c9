// The core's front door for composition roots (main.ts, CLIs, tests): load and validate
// the data, build the matcher and the model index, and wire the engine.
import type { Engine } from './engine.ts';
import { createEngine } from './conversation.ts';
import { DEFAULT_INTENTS_DIR, loadIntentExamples, loadKnowledge, type IntentExamples, type KnowledgeBase } from './knowledge/load.ts';
import { loadSynonyms } from './nlu/lexicon.ts';
import { createMatcher, type Matcher } from './nlu/matcher.ts';
import { createNormalizer } from './nlu/normalize.ts';
import { buildModelIndex, maskModelNumbers } from './sku/model.ts';
import { loadSlotReader } from './understand/load-slots.ts';
import type { KeyValueStore } from './store/store.ts';
import { MemoryStore } from './store/memory-store.ts';
import { fileModelCache, modelCacheKey } from './nlu/model-cache.ts';
import { projectPath } from './paths.ts';
import type { Logger } from '../logger.ts';

export type { Engine } from './engine.ts';
export type { Reply } from './reply.ts';
export type { Turn, Lang } from './turn.ts';

export interface BuildEngineOptions {
  store?: KeyValueStore;
  stateTtlSeconds?: number;
  companyHolidays?: string[];
  knowledgeDir?: string;
  intentsDir?: string;
  logger?: Logger;
  logUserText?: boolean;
  clock?: () => Date;
  /** See EngineDeps.validateReplies (default true). */
  validateReplies?: boolean;
  /** Where the trained intent model is kept between starts; null: always train. */
  modelCacheDir?: string | null;
}

/** npm's conventional cache folder, next to the packages; ignored by git. */
const DEFAULT_MODEL_CACHE_DIR = projectPath('node_modules/.cache/ups-bot');

export interface Understanding {
  kb: KnowledgeBase;
  matcher: Matcher;
  /** The intent examples the matcher was built from (the slot reader's real English words). */
  examples: IntentExamples;
}

/** Knowledge + matcher, without the engine (for eval and benchmarks). */
export function loadUnderstanding(options: Pick<BuildEngineOptions, 'knowledgeDir' | 'intentsDir' | 'modelCacheDir'> = {}): Understanding {
  const kb = loadKnowledge(options.knowledgeDir);
  const intentsDir = options.intentsDir ?? DEFAULT_INTENTS_DIR;
  const synonyms = loadSynonyms(intentsDir);
  const examples = loadIntentExamples(intentsDir);
  const cacheDir = options.modelCacheDir === undefined ? DEFAULT_MODEL_CACHE_DIR : options.modelCacheDir;
  const cache = cacheDir === null ? undefined : fileModelCache(cacheDir, modelCacheKey([[...examples], synonyms]));
  const matcher = createMatcher(examples, createNormalizer(synonyms), { method: 'linear', preprocess: maskModelNumbers, ...(cache ? { cache } : {}) });
  return { kb, matcher, examples };
}

export async function buildEngine(options: BuildEngineOptions = {}): Promise<Engine> {
  const { kb, matcher, examples } = loadUnderstanding(options);
  const cc = kb.contact.callCenter;
  return createEngine({
    kb,
    matcher,
    models: buildModelIndex(kb),
    slots: loadSlotReader(options.intentsDir, examples),
    store: options.store ?? new MemoryStore(),
    hours: { opens: cc.opens, closes: cc.closes, companyHolidays: new Set([...cc.companyHolidays, ...(options.companyHolidays ?? [])]) },
    stateTtlSeconds: options.stateTtlSeconds ?? 24 * 3600,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.logUserText ? { logUserText: true } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.validateReplies === false ? { validateReplies: false } : {}),
  });
}
