// Environment → typed configuration, read once at start. Nothing else reads process.env.
// A wrong or half-set variable stops the start with a message naming the variable.
import { z } from 'zod';

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Every environment variable the bot reads; .env.example lists them all (test/env-example.test.ts). */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_USER_TEXT: booleanString,
  /** Idle conversations are forgotten after this many seconds. */
  STATE_TTL_SECONDS: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(24 * 3600),
  /** Extra company holidays (YYYY-MM-DD, comma separated), added to knowledge/contact.yaml's list. */
  COMPANY_HOLIDAYS: optionalString.refine(
    (s) => s === undefined || s.split(',').every((d) => isoDate.test(d.trim())),
    'must be a comma-separated list of YYYY-MM-DD dates',
  ),
  KNOWLEDGE_DIR: optionalString,
  INTENTS_DIR: optionalString,
  REDIS_URL: optionalString.refine((s) => s === undefined || /^rediss?:\/\//.test(s), 'must start with redis:// or rediss://'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith('xoxb-'), 'must be a bot token (xoxb-…)'),
  SLACK_APP_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith('xapp-'), 'must be an app-level token (xapp-…)'),
  SLACK_API_URL: optionalString.refine((s) => s === undefined || URL.canParse(s), 'must be a URL'),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalString,
  /** Web chat: turns per client IP per minute. */
  WEB_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Teams: activities per calling address per minute (before authentication). */
  TEAMS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Teams: activities being processed at once; beyond it 503 with Retry-After. */
  TEAMS_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(200),
  /** Teams: upper bound for one HTTP call to the Bot Connector. */
  TEAMS_CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Teams: everything one activity sends (answer, retries, apology) ends by then. */
  TEAMS_TURN_TIMEOUT_MS: z.coerce.number().int().min(200).max(120_000).default(8_000),
  /** Web chat: new conversations per client (IPv4 address or IPv6 /64) per hour. */
  WEB_NEW_CONVERSATIONS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Live conversations each channel may hold in the store; past it new ones are refused politely. */
  STATE_MAX_CONVERSATIONS: z.coerce.number().int().min(10).max(10_000_000).default(6_000),
  /** SIGTERM → exit 0 within this many seconds, whatever upstream does. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(10),
});

export type Env = z.infer<typeof EnvSchema>;

export interface SlackConfig {
  mode: 'http' | 'socket';
  signingSecret: string | undefined;
  botToken: string;
  appToken: string | undefined;
  apiUrl: string | undefined;
}

export interface TeamsConfig {
  appId: string | undefined;
  appPassword: string | undefined;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string | undefined;
  /** No credentials: the Agents Playground and local tests work; only loopback callers and serviceUrls. */
  anonymous: boolean;
  rateLimitPerMinute: number;
  maxInFlight: number;
  connectorTimeoutMs: number;
  turnTimeoutMs: number;
}

export interface Config {
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  logUserText: boolean;
  stateTtlSeconds: number;
  companyHolidays: string[];
  knowledgeDir: string | undefined;
  intentsDir: string | undefined;
  redisUrl: string | undefined;
  webRateLimitPerMinute: number;
  webNewConversationsPerHour: number;
  stateMaxConversations: number;
  shutdownTimeoutMs: number;
  slack: SlackConfig | null;
  teams: TeamsConfig;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse({ ...env, ...teamsCredentialAliases(env) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    logUserText: e.LOG_USER_TEXT,
    stateTtlSeconds: e.STATE_TTL_SECONDS,
    companyHolidays: e.COMPANY_HOLIDAYS ? e.COMPANY_HOLIDAYS.split(',').map((d) => d.trim()) : [],
    knowledgeDir: e.KNOWLEDGE_DIR,
    intentsDir: e.INTENTS_DIR,
    redisUrl: e.REDIS_URL,
    webRateLimitPerMinute: e.WEB_RATE_LIMIT_PER_MINUTE,
    webNewConversationsPerHour: e.WEB_NEW_CONVERSATIONS_PER_HOUR,
    stateMaxConversations: e.STATE_MAX_CONVERSATIONS,
    shutdownTimeoutMs: Math.round(e.SHUTDOWN_TIMEOUT_SECONDS * 1000),
    slack: slackConfig(e),
    teams: teamsConfig(e),
  };
}

function slackConfig(e: Env): SlackConfig | null {
  const any = e.SLACK_SIGNING_SECRET ?? e.SLACK_BOT_TOKEN ?? e.SLACK_APP_TOKEN;
  if (any === undefined) return null;
  if (e.SLACK_BOT_TOKEN === undefined) {
    throw new ConfigError('SLACK_BOT_TOKEN', 'is required when any SLACK_* variable is set');
  }
  if (e.SLACK_APP_TOKEN !== undefined) {
    return { mode: 'socket', signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL };
  }
  if (e.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError('SLACK_SIGNING_SECRET', 'is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  return { mode: 'http', signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, appToken: undefined, apiUrl: e.SLACK_API_URL };
}

/**
 * The Microsoft 365 Agents SDK names its settings clientId, clientSecret and tenantId, or
 * connections__serviceConnection__settings__clientId and so on (case-insensitive); users of
 * the Bot Framework SDK have MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId.
 * Either works; the same setting given twice with different values stops the start.
 */
const SDK_SETTING_NAMES = {
  MicrosoftAppId: ['clientId', 'connections__serviceConnection__settings__clientId'],
  MicrosoftAppPassword: ['clientSecret', 'connections__serviceConnection__settings__clientSecret'],
  MicrosoftAppTenantId: ['tenantId', 'connections__serviceConnection__settings__tenantId'],
} as const;

function teamsCredentialAliases(env: NodeJS.ProcessEnv): Record<string, string> {
  const byLowerName = new Map(Object.entries(env).map(([name, value]) => [name.toLowerCase(), { name, value: value?.trim() ?? '' }]));
  const out: Record<string, string> = {};
  for (const [ours, sdkNames] of Object.entries(SDK_SETTING_NAMES)) {
    const given = [{ name: ours, value: env[ours]?.trim() ?? '' }, ...sdkNames.map((n) => byLowerName.get(n.toLowerCase()))].filter(
      (v): v is { name: string; value: string } => v !== undefined && v.value !== '',
    );
    const [first, ...rest] = given;
    if (first === undefined) continue;
    const other = rest.find((v) => v.value !== first.value);
    if (other) throw new ConfigError(other.name, `differs from ${first.name}; set only one of ${[ours, ...sdkNames].join(', ')}`);
    out[ours] = first.value;
  }
  return out;
}

function teamsConfig(e: Env): TeamsConfig {
  // A tenant without a type is a single-tenant bot, the Agents SDK's (and Azure's) default.
  const appType = e.MicrosoftAppType ?? (e.MicrosoftAppTenantId !== undefined ? 'SingleTenant' : 'MultiTenant');
  const limits = {
    rateLimitPerMinute: e.TEAMS_RATE_LIMIT_PER_MINUTE,
    maxInFlight: e.TEAMS_MAX_IN_FLIGHT,
    connectorTimeoutMs: e.TEAMS_CONNECTOR_TIMEOUT_MS,
    turnTimeoutMs: e.TEAMS_TURN_TIMEOUT_MS,
  };
  if (limits.turnTimeoutMs < limits.connectorTimeoutMs) {
    throw new ConfigError('TEAMS_TURN_TIMEOUT_MS', `must be at least TEAMS_CONNECTOR_TIMEOUT_MS (${limits.connectorTimeoutMs})`);
  }
  if (e.MicrosoftAppId === undefined) {
    if (e.MicrosoftAppPassword !== undefined) throw new ConfigError('MicrosoftAppId', 'is required when MicrosoftAppPassword (clientSecret) is set');
    return { appId: undefined, appPassword: undefined, appType, tenantId: undefined, anonymous: true, ...limits };
  }
  if (appType !== 'UserAssignedMSI' && e.MicrosoftAppPassword === undefined) {
    throw new ConfigError('MicrosoftAppPassword', `is required when MicrosoftAppId is set (MicrosoftAppType=${appType})`);
  }
  if (appType !== 'MultiTenant' && e.MicrosoftAppTenantId === undefined) {
    throw new ConfigError('MicrosoftAppTenantId', `is required for MicrosoftAppType=${appType}`);
  }
  return { appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, appType, tenantId: e.MicrosoftAppTenantId, anonymous: false, ...limits };
}
