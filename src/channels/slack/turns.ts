// Runs one user turn: engine → Block Kit → Slack. Turns of one conversation run one after
// the other (so replies never interleave), every turn is tracked so stop() can wait for
// it, and a failing turn ends with a polite message instead of silence or a crash.
import type { webApi } from '@slack/bolt';
import type { Engine } from '../../core/engine.ts';
import { detectLang } from '../../core/lang.ts';
import type { Turn } from '../../core/turn.ts';
import type { Logger } from '../../logger.ts';
import { fetchUntil } from './abort.ts';
import { escapeMrkdwn, renderReply, type SlackMessage } from './render.ts';

export type Destination =
  /** chat.postMessage into a DM or a channel thread. */
  | { kind: 'post'; channel: string; threadTs: string | undefined }
  /** The response_url of a slash command or an ephemeral message: answers only the asker. */
  | { kind: 'respond'; responseUrl: string };

export interface TurnRequest {
  conversation: string;
  text?: string;
  choice?: string;
  destination: Destination;
}

export interface RetryPolicy {
  retries: number;
  minTimeout: number;
}

export class TurnRunner {
  readonly #queues = new Map<string, Promise<void>>();
  readonly #inFlight = new Set<Promise<void>>();

  constructor(
    private readonly engine: Engine,
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly retry: RetryPolicy,
    /** The shutdown deadline: response_url calls and their retries stop, drain() stops waiting. */
    private readonly shutdown: AbortSignal = new AbortController().signal,
  ) {}

  /** Queues the turn behind earlier turns of the same conversation; never rejects. */
  run(request: TurnRequest): Promise<void> {
    const previous = this.#queues.get(request.conversation) ?? Promise.resolve();
    const current = previous.then(() => this.#runNow(request));
    this.#queues.set(request.conversation, current);
    this.#inFlight.add(current);
    void current.finally(() => {
      this.#inFlight.delete(current);
      if (this.#queues.get(request.conversation) === current) this.#queues.delete(request.conversation);
    });
    return current;
  }

  /** Posts already-rendered messages (welcome menu, updates) with the same error handling. */
  async deliver(messages: SlackMessage[], destination: Destination): Promise<void> {
    for (const message of messages) {
      if (destination.kind === 'post') {
        await this.client.chat.postMessage({
          channel: destination.channel,
          thread_ts: destination.threadTs,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
        });
      } else {
        await this.respond(destination.responseUrl, { response_type: 'ephemeral', replace_original: false, ...message });
      }
    }
  }

  /** POST to a response_url (no Web API token involved), retried on 429 and 5xx like the WebClient. */
  async respond(responseUrl: string, body: Record<string, unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchUntil(this.shutdown)(responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return;
      const retriable = response.status === 429 || response.status >= 500;
      if (!retriable || attempt >= this.retry.retries || this.shutdown.aborted) {
        throw new Error(`response_url answered ${response.status}`);
      }
      const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
      const waitMs = Number.isNaN(retryAfter) ? this.retry.minTimeout * 2 ** attempt : retryAfter * 1000;
      this.logger.warn({ status: response.status, waitMs }, 'slack response_url failed; retrying');
      await abortableSleep(waitMs, this.shutdown);
    }
  }

  /** Resolves when every turn that has started is finished, or at the shutdown deadline. */
  async drain(): Promise<void> {
    const deadline = new Promise<void>((resolve) => {
      if (this.shutdown.aborted) resolve();
      else this.shutdown.addEventListener('abort', () => resolve(), { once: true });
    });
    while (this.#inFlight.size > 0 && !this.shutdown.aborted) await Promise.race([Promise.allSettled([...this.#inFlight]), deadline]);
    if (this.#inFlight.size > 0) this.logger.warn({ turns: this.#inFlight.size }, 'slack turns still running at the shutdown deadline; leaving them');
  }

  async #runNow(request: TurnRequest): Promise<void> {
    const turn: Turn = { conversation: request.conversation };
    if (request.text !== undefined) turn.text = request.text;
    if (request.choice !== undefined) turn.choice = request.choice;
    try {
      const replies = await this.engine.handle(turn);
      for (const reply of replies) await this.deliver(renderReply(reply), request.destination);
    } catch (err) {
      this.logger.error({ err, conversation: request.conversation }, 'slack turn failed');
      await this.#apologise(request);
    }
  }

  async #apologise(request: TurnRequest): Promise<void> {
    // The words come from the engine (knowledge/messages.yaml), like every other reply.
    const text = escapeMrkdwn(this.engine.failureReply(detectLang(request.text ?? '')).text);
    try {
      await this.deliver([{ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }], request.destination);
    } catch (err) {
      this.logger.error({ err, conversation: request.conversation }, 'slack turn-error message could not be sent either');
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
