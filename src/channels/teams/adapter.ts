// The only file that knows the Microsoft 365 Agents SDK (@microsoft/agents-hosting, the
// successor of the archived Bot Framework SDK). The rest of the channel speaks TurnIO: our
// validated activity in, plain outgoing activities out, every connector call bounded in time.
import type { Activity as SdkActivity } from '@microsoft/agents-activity';
import {
  AuthType,
  CloudAdapter,
  type AuthConfiguration,
  type ConnectorClient,
  type HeaderPropagationCollection,
  type HttpRequestConfig,
  type OutboundUrlPolicy,
  type TurnContext,
} from '@microsoft/agents-hosting';
import type { Request, Response } from 'express';
import type { TeamsConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { IncomingActivitySchema, isLoopbackServiceUrl, type IncomingActivity } from './activity.ts';
import { startDeadline } from './deadline.ts';
import { ConnectorCallError, withRetry, type RetryPolicy } from './retry.ts';

export interface OutgoingActivity {
  type: 'message';
  text?: string;
  summary?: string;
  attachments?: readonly { contentType: string; content: unknown }[];
}

/** One turn as the channel sees it. */
export interface TurnIO {
  readonly activity: IncomingActivity;
  /** Sends into the same conversation (a reply in the thread for channel messages), with retry. */
  send(activity: OutgoingActivity): Promise<void>;
  /** "Bot is typing…": best effort, never retried. */
  sendTyping(): Promise<void>;
}

export interface TurnHandlers {
  onTurn(io: TurnIO): Promise<void>;
  onTurnError(io: TurnIO, error: unknown): Promise<void>;
}

/** What the SDK's JWT check decided; the route writes the HTTP answer itself. */
export type AuthResult = { ok: true } | { ok: false; status: number; reason: string };

export interface BotTransport {
  /** The SDK's own JWT check (only with credentials); writes nothing to the response. */
  authenticate(req: Request): Promise<AuthResult>;
  /**
   * Runs the turn and writes the HTTP response; every connector call ends by `deadline`.
   * `activity` is req.body as the route validated it. A body the SDK's own activity schema
   * refuses resolves with the reason (nothing written), so the route answers 400.
   */
  process(req: Request, res: Response, deadline: AbortSignal, activity: IncomingActivity): Promise<{ rejected: string } | undefined>;
}

export interface TransportOptions {
  config: TeamsConfig;
  logger: Logger;
  retry: RetryPolicy;
  handlers: TurnHandlers;
  /** Upper bound for one HTTP call to the Bot Connector. */
  connectorTimeoutMs: number;
}

/** Our configuration → the SDK's; explicit keys, so nothing the SDK reads from process.env wins. */
export function sdkAuthConfiguration(config: TeamsConfig): AuthConfiguration {
  const connection: AuthConfiguration = {
    clientId: config.appId,
    clientSecret: config.appType === 'UserAssignedMSI' ? undefined : config.appPassword,
    // Multi-tenant bots get their tokens from the Bot Framework's tenant (the SDK's default).
    tenantId: config.appType === 'MultiTenant' ? undefined : config.tenantId,
    authType: config.appType === 'UserAssignedMSI' ? AuthType.UserManagedIdentity : AuthType.ClientSecret,
  };
  return {
    ...connection,
    connections: new Map([['serviceConnection', connection]]),
    connectionsMap: [{ serviceUrl: '*', connection: 'serviceConnection' }],
  };
}

/**
 * The Agents SDK refuses to run without a client id when NODE_ENV=production (its
 * "ClientIdRequiredInProduction"); the channel then stays off instead of stopping the start.
 */
export class TeamsUnavailableError extends Error {
  readonly code = 'teams_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'TeamsUnavailableError';
  }
}

export function createBotTransport(options: TransportOptions): BotTransport {
  const { config, logger, retry, handlers, connectorTimeoutMs } = options;
  // Without credentials the SDK itself refuses to open a connector client to anything but
  // loopback: a second wall behind the route's check.
  const outbound: OutboundUrlPolicy = { enabled: config.anonymous, isAllowed: (url) => isLoopbackServiceUrl(String(url ?? '')) };
  // Each turn's deadline, found again from the identity the SDK hands to the connector factory.
  const deadlines = new WeakMap<object, AbortSignal>();
  let adapter: BoundedCloudAdapter;
  try {
    adapter = new BoundedCloudAdapter(sdkAuthConfiguration(config), outbound, connectorTimeoutMs, !config.anonymous, deadlines);
  } catch (err) {
    if (config.anonymous) throw new TeamsUnavailableError(`the Agents SDK refuses anonymous mode here: ${(err as Error).message}`);
    throw err;
  }

  // The route's validated view of each turn's activity, so that it is parsed once, not again per turn.
  const validated = new WeakMap<object, IncomingActivity>();
  const io = (context: TurnContext, deadline: AbortSignal): TurnIO => ({
    // process() only runs after the route validated the body with the same schema.
    activity: validated.get(context.activity) ?? IncomingActivitySchema.parse(context.activity),
    async send(activity) {
      await withRetry(`send ${activity.type}`, () => sendBounded(context, activity), retry, { logger, signal: deadline });
    },
    async sendTyping() {
      await sendBounded(context, { type: 'typing' });
    },
  });

  adapter.onTurnError = async (context, error) => {
    const fallback = startDeadline(connectorTimeoutMs);
    try {
      await handlers.onTurnError(io(context, deadlines.get(context.activity) ?? fallback.signal), error);
    } catch (err) {
      logger.error({ err: describeError(err), cause: describeError(error) }, 'Teams turn-error handler failed');
    } finally {
      fallback.done();
    }
  };

  return {
    async authenticate(req) {
      if (config.anonymous) return { ok: true };
      const captured = { status: 200, body: undefined as unknown };
      const sink = {
        status(code: number) {
          captured.status = code;
          return sink;
        },
        send(body: unknown) {
          captured.body = body;
          return sink;
        },
        setHeader: () => sink,
        end: () => sink,
      };
      let passed = false;
      await adapter.authorizeRequest(req as never, sink as never, () => {
        passed = true;
      });
      if (passed) return { ok: true };
      const reason = (captured.body as Record<string, unknown> | undefined)?.['jwt-auth-error'];
      return { ok: false, status: captured.status === 405 ? 405 : 401, reason: typeof reason === 'string' ? reason : 'unauthorized' };
    },
    async process(req, res, deadline, activity) {
      const sdkRequest = req as Request & { user?: object };
      // authenticate() left the verified token's claims here; anonymous turns get their own object.
      sdkRequest.user ??= { name: 'anonymous' };
      deadlines.set(sdkRequest.user, deadline);
      let started = false;
      try {
        await adapter.process(sdkRequest as never, res as never, (context) => {
          started = true;
          deadlines.set(context.activity, deadline);
          validated.set(context.activity, activity);
          return handlers.onTurn(io(context, deadline));
        });
      } catch (err) {
        // The SDK parses the body with its own schema (Activity.fromObject) before any turn
        // starts; its refusal is a bad request, not a server error. Checked here rather than
        // by parsing the body a second time up front.
        const issues = (err as { issues?: { path: (string | number)[]; message: string }[] }).issues;
        if (started || res.headersSent || !Array.isArray(issues)) throw err;
        return { rejected: issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') || 'not an activity' };
      }
      return undefined;
    },
  };
}

async function sendBounded(context: TurnContext, activity: OutgoingActivity | { type: 'typing' }): Promise<void> {
  try {
    await context.sendActivity(activity as unknown as SdkActivity);
  } catch (err) {
    throw ConnectorCallError.from(err);
  }
}

/** A loggable summary of an SDK error: its HttpError carries the whole outgoing activity. */
export function describeError(err: unknown): unknown {
  if (err instanceof ConnectorCallError) return { type: err.name, message: err.message, status: err.status, code: err.code };
  return err;
}

/**
 * CloudAdapter whose connector clients time out: the SDK's HTTP client is plain fetch with
 * no timeout, so a Bot Connector that accepts and never answers would hold every turn (and
 * its socket) forever. Each HTTP call gets the per-call timeout and the turn's deadline.
 */
class BoundedCloudAdapter extends CloudAdapter {
  readonly #timeoutMs: number;
  readonly #deadlines: WeakMap<object, AbortSignal>;

  constructor(auth: AuthConfiguration, outbound: OutboundUrlPolicy, timeoutMs: number, validateServiceUrl: boolean, deadlines: WeakMap<object, AbortSignal>) {
    super(auth, undefined, undefined, { validateServiceUrl, emitStackTrace: false }, outbound);
    this.#timeoutMs = timeoutMs;
    this.#deadlines = deadlines;
  }

  protected override async createConnectorClientWithIdentity(identity: object, activity: SdkActivity, headers?: HeaderPropagationCollection): Promise<ConnectorClient> {
    const deadline = this.#deadlines.get(identity);
    // With credentials this first fetches a token (MSAL); bound that wait as well.
    const creating = startDeadline(this.#timeoutMs, deadline);
    let client: ConnectorClient;
    try {
      client = await raceSignal(super.createConnectorClientWithIdentity(identity as never, activity, headers), creating.signal);
    } finally {
      creating.done();
    }
    const http = client.httpClient;
    const request = http.request.bind(http);
    http.request = async <T>(requestConfig: HttpRequestConfig) => {
      const call = startDeadline(this.#timeoutMs, deadline, requestConfig.signal);
      try {
        return await request<T>({ ...requestConfig, signal: call.signal });
      } finally {
        call.done();
      }
    };
    return client;
  }
}

function raceSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(ConnectorCallError.from(signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(ConnectorCallError.from(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
