// State budgets per purpose. Every key of the store belongs to one budget by its prefix:
// each channel's conversations, the web chat's issued ids, each channel's delivery
// de-duplication keys, and so on. A budget is a bound on live entries, and when it is full
// a newcomer is refused (StoreFullError, which the engine and the channels turn into the
// polite "temporarily unavailable" answer) instead of an old entry being dropped: a flood of
// Teams activities can then fill Teams' budgets, but never push out a Slack delivery key or a
// web user's dialog. The memory store counts per budget in memory; the Redis store keeps one
// sorted set of keys and expiry times per budget, checked and updated in the same script as
// the write.
import { StoreUnavailableError } from './store.ts';

export interface Budget {
  /** Shown in logs and used as the Redis index name: `budget:<name>`. */
  name: string;
  /** Keys that start with one of these belong to the budget (the longest matching prefix wins). */
  prefixes: readonly string[];
  /** Live entries at most. */
  maxEntries: number;
}

export interface BudgetSizes {
  /** Live conversations per channel (about 1 KB each in memory). */
  conversationsPerChannel?: number;
}

export const DEFAULT_CONVERSATIONS_PER_CHANNEL = 6_000;

/**
 * The budgets of this bot's keys. Delivery keys are small (a few dozen bytes) and live for
 * minutes to hours, so they get four times the conversations' bound; everything else (the
 * CLIs' conversations, tests) shares one more budget of the conversations' size.
 */
export function defaultBudgets(sizes: BudgetSizes = {}): Budget[] {
  const conversations = sizes.conversationsPerChannel ?? DEFAULT_CONVERSATIONS_PER_CHANNEL;
  return [
    { name: 'conversations:web', prefixes: ['conv:web:'], maxEntries: conversations },
    { name: 'conversations:slack', prefixes: ['conv:slack:'], maxEntries: conversations },
    { name: 'conversations:teams', prefixes: ['conv:teams:'], maxEntries: conversations },
    { name: 'web:sessions', prefixes: ['web:session:'], maxEntries: conversations },
    { name: 'slack:deliveries', prefixes: ['slack:event:', 'slack:message:', 'slack:clicked:', 'slack:trigger:'], maxEntries: 4 * conversations },
    { name: 'slack:threads', prefixes: ['slack:thread:'], maxEntries: conversations },
    { name: 'teams:deliveries', prefixes: ['channel:teams:seen:'], maxEntries: 4 * conversations },
    { name: 'teams:welcomed', prefixes: ['channel:teams:welcomed:'], maxEntries: conversations },
    { name: 'teams:choices', prefixes: ['channel:teams:choices:'], maxEntries: conversations },
    { name: 'other', prefixes: [''], maxEntries: conversations },
  ];
}

/** Finds a key's budget: the longest matching prefix; '' matches every key. */
export function budgetMatcher(budgets: readonly Budget[]): (key: string) => Budget | undefined {
  const byPrefix = budgets.flatMap((budget) => budget.prefixes.map((prefix) => ({ prefix, budget }))).sort((a, b) => b.prefix.length - a.prefix.length);
  return (key) => byPrefix.find(({ prefix }) => key.startsWith(prefix))?.budget;
}

/** A newcomer refused because its budget is full; a StoreUnavailableError, so every caller answers politely. */
export class StoreFullError extends StoreUnavailableError {
  override readonly name = 'StoreFullError';
  readonly budget: string;
  constructor(budget: Budget) {
    super(undefined, `store budget ${budget.name} is full (${budget.maxEntries} live entries); new entries are refused until some expire`);
    this.budget = budget.name;
  }
}
