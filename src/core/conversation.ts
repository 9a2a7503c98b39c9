// The engine: one turn in, replies out. Loads and saves the conversation state, runs the
// turns of one conversation one after the other, logs each turn, and never throws; what a
// turn means is decided by understand/ and policy/. Nothing here knows a channel.
import { skuSummary } from './labels.ts';
import type { Logger } from '../logger.ts';
import type { Engine, TurnResult } from './engine.ts';
import type { KnowledgeBase } from './knowledge/load.ts';
import { chooseLang } from './lang.ts';
import type { Matcher } from './nlu/matcher.ts';
import { ReplySchema, type Reply } from './reply.ts';
import type { ModelIndex } from './sku/model.ts';
import { allPrintedSkus } from './sku/resolve.ts';
import type { KeyValueStore } from './store/store.ts';
import { StoreUnavailableError } from './store/store.ts';
import { withLockedValue, type Update } from './store/lock.ts';
import type { Lang, Turn } from './turn.ts';
import { initialState, isConversationState, type ConversationState } from './dialog/state.ts';
import type { BusinessHours } from './handoff/hours.ts';
import { t } from './respond/context.ts';
import { skuCheckLines } from './respond/sku.ts';
import { createActor, type Ctx, type Step } from './policy/act.ts';
import { decide } from './policy/rules.ts';
import type { SlotReader } from './understand/slot-facts.ts';
import { understandChoice, understandText } from './understand/understand.ts';

export { ASK_BELOW, OUT_OF_SCOPE_BELOW } from './policy/rules.ts';

export interface EngineDeps {
  kb: KnowledgeBase;
  matcher: Matcher;
  models: ModelIndex;
  slots: SlotReader;
  store: KeyValueStore;
  hours: BusinessHours;
  stateTtlSeconds: number;
  logger?: Logger;
  /** Include the user's text in the per-turn log line (LOG_USER_TEXT); off by default. */
  logUserText?: boolean;
  clock?: () => Date;
  /**
   * Check every reply against ReplySchema before it leaves (default true: tests, CLIs). The
   * server turns it off: the replies are our own, built from validated data, and the tests
   * check their shape; the check cost a tenth of the engine's time per turn. The SKU filter
   * in finish() stays on everywhere.
   */
  validateReplies?: boolean;
}

/** Users may paste logs; longer text is cut (with a note) rather than rejected. */
export const MAX_TEXT_CHARS = 1000;

export function createEngine(deps: EngineDeps): Engine {
  const { kb, matcher, models, store, hours } = deps;
  const clock = deps.clock ?? (() => new Date());
  const printed = allPrintedSkus(kb);
  const queues = new Map<string, Promise<unknown>>();
  const { apply, welcome, failure } = createActor({ kb, models });
  const checked = deps.validateReplies === false ? (reply: Reply) => reply : (reply: Reply) => ReplySchema.parse(reply);

  const context = (lang: Lang, now: Date): Ctx => ({ kb, models, hours, lang, now });

  /**
   * Turns of one conversation run one after the other, in arrival order; across instances
   * too when the store has a shared lock (Redis).
   */
  function serialize<T>(key: string, work: (stored: unknown) => Promise<Update<T>>): Promise<T> {
    const previous = queues.get(key) ?? Promise.resolve();
    const locked = () => withLockedValue(store, `conv:${key}`, deps.stateTtlSeconds, work);
    const run = previous.then(locked, locked);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  }

  /**
   * Never throws: a store outage gets the polite "temporarily unavailable" reply and any other
   * failure an apology, both with the call center, and the conversation stays usable.
   */
  async function handle(turn: Turn): Promise<TurnResult> {
    const started = performance.now();
    try {
      const { lang, replies, rule } = await handleTurn(turn);
      logTurn(turn, replies, started, 'answered', rule);
      return { lang, replies };
    } catch (err) {
      const lang = turn.text ? chooseLang(turn.text, turn.locale) : (turn.locale ?? 'ja');
      const unavailable = err instanceof StoreUnavailableError;
      deps.logger?.error({ err, conversation: turn.conversation, code: unavailable ? err.code : 'turn_failed' }, 'turn failed');
      const replies = [failure(context(lang, turn.now ?? clock()), unavailable ? 'store_unavailable' : 'internal_error')];
      logTurn(turn, replies, started, unavailable ? 'store_unavailable' : 'error');
      return { lang, replies };
    }
  }

  /** One JSON line per turn: what was understood and how it ended; user text only when allowed. */
  function logTurn(turn: Turn, replies: Reply[], started: number, outcome: string, rule?: string): void {
    const last = replies.at(-1);
    deps.logger?.info(
      {
        conversation: turn.conversation,
        kind: turn.choice !== undefined ? 'choice' : 'text',
        ...(turn.choice !== undefined ? { choice: turn.choice.slice(0, 100) } : {}),
        ...(deps.logUserText && turn.text !== undefined ? { text: turn.text.slice(0, 2000) } : {}),
        intent: last?.intent ?? 'out_of_scope',
        confidence: last?.confidence ?? 0,
        skus: last?.skus.length ?? 0,
        handoff: last?.handoff !== null && last?.handoff !== undefined,
        recommendation: last?.recommendation !== null && last?.recommendation !== undefined,
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        ...(rule ? { rule } : {}),
        outcome,
      },
      'turn',
    );
  }

  async function handleTurn(turn: Turn): Promise<TurnResult & { rule: string }> {
    return serialize(turn.conversation, async (stored) => {
      const now = turn.now ?? clock();
      // The conversation's language, else the channel's; a text switches it only when it is clearly the other one.
      const preferred: Lang | undefined = (isConversationState(stored) ? stored.lang : undefined) ?? turn.locale;
      const fallbackLang: Lang = preferred ?? 'ja';
      let state = isConversationState(stored) ? stored : initialState(fallbackLang);
      let text = turn.text === undefined ? undefined : sanitize(turn.text);
      let truncated = false;
      if (text !== undefined && text.length > MAX_TEXT_CHARS) {
        text = text.slice(0, MAX_TEXT_CHARS);
        truncated = true;
      }
      const lang: Lang = text ? chooseLang(text, preferred) : fallbackLang;
      state = { ...state, lang };
      const ctx = context(lang, now);

      let step: Step;
      let rule = 'welcome';
      if (turn.choice !== undefined || text) {
        const phase = state.phase;
        // While paused the last question was "続けますか？": a bare "はい" answers that, not the slot.
        // After a recommendation with a length, a bare number changes it ("actually let's go for 5").
        const concludedLength = phase.kind === 'idle' && state.concluded?.years !== undefined ? 'years' : undefined;
        const asked = phase.kind === 'asking' ? phase.slot : phase.kind === 'awaiting_model' ? 'model' : concludedLength;
        const u = turn.choice !== undefined ? understandChoice(turn.choice) : understandText({ kb, matcher, models, slots: deps.slots }, text!, state.offered, asked);
        const decision = decide({ state, u, kb, lookup: (m) => models.lookup(m) });
        rule = decision.rule;
        step = apply(ctx, state, u, decision.action);
        // Every SKU the user typed is checked, whatever else the turn answers.
        const checks = decision.action.kind === 'sku_info' ? [] : skuCheckLines(ctx, u.skus);
        if (checks.length > 0 && step.replies[0]) step.replies[0] = { ...step.replies[0], text: `${checks.join('\n')}\n\n${step.replies[0].text}` };
      } else step = { replies: [welcome(ctx)], state };

      const replies = step.replies.map((r) => finish(r, truncated && text !== undefined ? t(ctx, 'text_truncated') : null, ctx.lang));
      const last = replies.at(-1)!;
      const next: ConversationState = { ...step.state, offered: last.choices };
      return { value: next, result: { lang, replies, rule } };
    });
  }

  /**
   * Last line of defence: the reply is valid and carries no SKU outside the tables. The text
   * ends with the SKUs it shows (the channels, which list them, drop that line).
   */
  function finish(reply: Reply, note: string | null, lang: Lang): Reply {
    const safe = { ...reply, skus: reply.skus.filter((s) => printed.has(s.sku)) };
    if (safe.skus.length !== reply.skus.length) deps.logger?.error({ skus: reply.skus }, 'dropped a SKU outside the tables');
    if (note) safe.text = `${note}\n${safe.text}`;
    if (safe.skus.length > 0) safe.text = `${safe.text}\n${skuSummary(safe.skus, lang)}`;
    return checked(safe);
  }

  return {
    handle,
    welcome(lang, now) {
      return checked(welcome(context(lang, now ?? clock())));
    },
    failureReply(lang, now) {
      return failure(context(lang, now ?? clock()), 'internal_error');
    },
  };
}

/** Control characters (except newlines and tabs) never reach understanding. */
function sanitize(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}
