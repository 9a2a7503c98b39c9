// The core's front door for composition roots (main.ts, CLIs, tests).
// TEMPORARY STUB: replaced by the real engine (knowledge + matcher + dialog) shortly.
import type { Engine } from './engine.ts';
import type { Reply } from './reply.ts';
import type { KeyValueStore } from './store/store.ts';
import { MemoryStore } from './store/memory-store.ts';
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
  clock?: () => Date;
}

export async function buildEngine(_options: BuildEngineOptions = {}): Promise<Engine> {
  const store = _options.store ?? new MemoryStore();
  void store;
  const reply = (text: string): Reply => ({
    text,
    intent: 'help',
    confidence: 1,
    choices: [{ id: 'intent:recommend_service', label: 'おすすめの保守を選ぶ' }],
    skus: [],
    recommendation: null,
    handoff: { phone: '03-4578-4697', open: false, nextOpen: '2026-11-30T09:00:00+09:00' },
    links: [],
  });
  return {
    async handle(turn) {
      return [reply(`stub: ${turn.text ?? turn.choice}`)];
    },
    welcome() {
      return reply('こんにちは');
    },
  };
}
