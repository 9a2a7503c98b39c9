// The only file that knows the Bot Framework SDK (botbuilder 4.23, its last release).
// Moving to its successor means rewriting this file: the rest of the channel speaks
// TurnIO (our validated activity in, plain outgoing activities out).
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type TurnContext,
} from 'botbuilder';
import type { Request, Response } from 'express';
import type { TeamsConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { IncomingActivitySchema, type IncomingActivity } from './activity.ts';
import { withRetry, type RetryPolicy } from './retry.ts';

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

export interface BotTransport {
  /** Authenticates the request, runs the turn and writes the HTTP response. */
  process(req: Request, res: Response): Promise<void>;
}

export interface TransportOptions {
  config: TeamsConfig;
  logger: Logger;
  retry: RetryPolicy;
  handlers: TurnHandlers;
}

export function createBotTransport(options: TransportOptions): BotTransport {
  const { config, logger, retry, handlers } = options;
  const settings = {
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId,
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const auth = new SingleRetryAuthentication(settings, credentials, logger);
  const adapter = new CloudAdapter(auth);

  const io = (context: TurnContext): TurnIO => ({
    // process() only runs after the route validated the body with the same schema.
    activity: IncomingActivitySchema.parse(context.activity),
    async send(activity) {
      await withRetry(`send ${activity.type}`, () => context.sendActivity(activity as Partial<Activity>), retry, { logger });
    },
    async sendTyping() {
      await context.sendActivity({ type: 'typing' });
    },
  });

  adapter.onTurnError = async (context, error) => {
    try {
      await handlers.onTurnError(io(context), error);
    } catch (err) {
      logger.error({ err, cause: error }, 'Teams turn-error handler failed');
    }
  };

  return {
    async process(req, res) {
      await adapter.process(req, res, (context) => handlers.onTurn(io(context)));
    },
  };
}

interface PipelineOwner {
  client?: { pipeline?: { removePolicy(options: { name: string }): unknown } };
}

/**
 * The connector's HTTP pipeline retries throttled and failed calls on its own, silently;
 * with retry.ts on top every failure would be tried up to sixteen times. Its policy is
 * removed so that ours, which logs, is the only one.
 */
class SingleRetryAuthentication extends ConfigurationBotFrameworkAuthentication {
  readonly #logger: Logger;
  #warned = false;

  constructor(
    settings: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    credentials: ConfigurationServiceClientCredentialFactory,
    logger: Logger,
  ) {
    super(settings, credentials);
    this.#logger = logger;
  }

  override async authenticateRequest(activity: Activity, authHeader: string) {
    const result = await super.authenticateRequest(activity, authHeader);
    const factory = result.connectorFactory;
    if (factory === undefined) return result;
    result.connectorFactory = {
      create: async (serviceUrl: string, audience?: string) => {
        const client = await factory.create(serviceUrl, audience);
        const pipeline = (client as unknown as PipelineOwner).client?.pipeline;
        if (pipeline) pipeline.removePolicy({ name: 'defaultRetryPolicy' });
        else if (!this.#warned) {
          this.#warned = true;
          this.#logger.warn('Bot Connector client has no pipeline to adjust; SDK retries stay on');
        }
        return client;
      },
    };
    return result;
  }
}
