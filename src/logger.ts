// pino to standard error (standard output belongs to the converse contract).
// Secrets never reach a log line: known fields are redacted by path, errors lose the command
// arguments libraries attach to them (ioredis puts `AUTH <user> <password>` there), and every
// line is scrubbed of Slack tokens, bearer credentials, argument lists and the configured
// secret values, because SDK errors (Slack's WebClient, the Bot Connector, ioredis) can carry
// request headers and commands deep inside. Conversation keys are logged as a short hash.
import { pino, type Logger } from 'pino';
import { keyTag } from './core/store/key-tag.ts';

export type { Logger };

export interface LoggerOptions {
  /** Exact values to mask wherever they appear (bot tokens, signing secret, app password). */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; standard error by default (tests pass a collector). */
  destination?: pino.DestinationStream;
}

const CENSOR = '[redacted]';
const TOKEN_PATTERNS = [/\bxox[abposre]-[A-Za-z0-9-]+/g, /\bxapp-[A-Za-z0-9-]+/g, /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, /(rediss?:\/\/[^:/@\s"]*:)[^@\s"]+@/g];
// A command's argument list as JSON (`"args":["3","AUTH","default","…"]`), wherever it sits.
const ARGS_ARRAY = /"args":\[(?:"(?:[^"\\]|\\.)*"|[^\]"])*\]/g;
// A Redis AUTH / HELLO … AUTH written out in a message: the two words after AUTH.
const AUTH_WORDS = /\b(AUTH)(\s+|","|\\",\\")[^\s",\\]+((?:\s+|","|\\",\\")[^\s",\\]+)?/g;
// Everything the patterns above could match starts with one of these: a line without any
// (almost every line, e.g. the per-turn one) is passed on after one scan instead of six.
const MAY_HOLD_SECRET = /"args":\[|AUTH|xox[abposre]-|xapp-|bearer|basic|rediss?:\/\//i;
// Properties through which libraries attach the command that failed (ioredis: command.args).
const DROPPED_ERROR_FIELDS = ['command', 'args', 'previousErrors', 'lastNodeError'];

export function createLogger(level: string = 'info', options: LoggerOptions = {}): Logger {
  // Very short values would mask ordinary words; real secrets are long.
  const secrets = (options.secrets ?? []).filter((s): s is string => s !== undefined && s.length >= 8);
  return pino(
    {
      level,
      base: undefined,
      // Top-level fields by pino's path redaction; one level down (`*.token`, `*.headers.authorization`)
      // by redactNested below: pino's wildcard paths cost ~13 µs on every line, most of a line's cost.
      redact: { paths: ['token', 'botToken', 'appToken', 'signingSecret', 'appPassword', 'password', 'authorization', 'headers.authorization'], censor: CENSOR },
      formatters: { log: redactNested },
      serializers: { err: serializeError, conversation: (key: unknown) => (typeof key === 'string' ? keyTag(key) : key) },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** Masks token-shaped strings and the given secret values in one serialised log line. */
export function scrubSecrets(line: string, secrets: readonly string[] = []): string {
  let out = line;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(CENSOR);
  if (!MAY_HOLD_SECRET.test(out)) return out;
  out = out.replace(ARGS_ARRAY, '"args":"[dropped]"').replace(AUTH_WORDS, (_m, auth: string) => `${auth} ${CENSOR}`);
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, keep: unknown) => (typeof keep === 'string' && keep.startsWith('redis') ? `${keep}${CENSOR}@` : typeof keep === 'string' ? `${keep} ${CENSOR}` : CENSOR));
  }
  return out;
}

/** Fields censored in an object one level below the line (what `*.token` etc. would be). */
const NESTED_SECRETS = ['token', 'authorization'];

/**
 * A line's object with token / authorization fields of its object values censored (and those
 * values' `headers.authorization` / `Authorization`). Returns the object itself when nothing
 * needs censoring (the per-turn line holds only primitives); never changes the caller's objects.
 */
export function redactNested(object: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key in object) {
    if (key === 'err') continue; // serializeError censors the serialised copy
    const value = object[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const censored = censorFields(value as Record<string, unknown>);
    if (censored === value) continue;
    out ??= { ...object };
    out[key] = censored;
  }
  return out ?? object;
}

function censorFields(value: Record<string, unknown>): Record<string, unknown> {
  const headers = value.headers;
  const headerSecret = typeof headers === 'object' && headers !== null && ('authorization' in headers || 'Authorization' in headers);
  if (!headerSecret && !NESTED_SECRETS.some((field) => field in value)) return value;
  // An Error's own enumerable fields are what JSON would have shown of it.
  const copy: Record<string, unknown> = { ...value };
  for (const field of NESTED_SECRETS) if (field in copy) copy[field] = CENSOR;
  if (headerSecret) {
    const h: Record<string, unknown> = { ...(headers as Record<string, unknown>) };
    if ('authorization' in h) h.authorization = CENSOR;
    if ('Authorization' in h) h.Authorization = CENSOR;
    copy.headers = h;
  }
  return copy;
}

/** pino's error serializer, minus the command a library attached (at any depth of the error). */
export function serializeError(err: unknown): unknown {
  const serialized = pino.stdSerializers.err(err as Error) as unknown;
  dropCommandFields(serialized, 0);
  if (typeof serialized === 'object' && serialized !== null) {
    const record = serialized as Record<string, unknown>;
    const censored = censorFields(record);
    if (censored !== record) for (const [k, v] of Object.entries(censored)) record[k] = v;
  }
  return serialized;
}

function dropCommandFields(value: unknown, depth: number): void {
  if (typeof value !== 'object' || value === null || depth > 4) return;
  const record = value as Record<string, unknown>;
  for (const field of DROPPED_ERROR_FIELDS) if (field in record) delete record[field];
  for (const [key, child] of Object.entries(record)) if (key !== 'raw') dropCommandFields(child, depth + 1);
}
