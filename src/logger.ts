// pino to standard error (standard output belongs to the converse contract).
// Secrets never reach a log line: known fields are redacted by path, and every line is
// scrubbed of Slack tokens, bearer credentials and the configured secret values, because
// SDK errors (Slack's WebClient, the Bot Connector) can carry request headers deep inside.
import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Exact values to mask wherever they appear (bot tokens, signing secret, app password). */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; standard error by default (tests pass a collector). */
  destination?: pino.DestinationStream;
}

const CENSOR = '[redacted]';
const TOKEN_PATTERNS = [/\bxox[abposre]-[A-Za-z0-9-]+/g, /\bxapp-[A-Za-z0-9-]+/g, /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, /(rediss?:\/\/[^:/@\s"]*:)[^@\s"]+@/g];

export function createLogger(level: string = 'info', options: LoggerOptions = {}): Logger {
  // Very short values would mask ordinary words; real secrets are long.
  const secrets = (options.secrets ?? []).filter((s): s is string => s !== undefined && s.length >= 8);
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'token',
          'botToken',
          'appToken',
          'signingSecret',
          'appPassword',
          'password',
          'authorization',
          'headers.authorization',
          '*.token',
          '*.authorization',
          '*.headers.authorization',
          '*.headers.Authorization',
        ],
        censor: CENSOR,
      },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/** Masks token-shaped strings and the given secret values in one serialised log line. */
export function scrubSecrets(line: string, secrets: readonly string[] = []): string {
  let out = line;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(CENSOR);
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, keep: unknown) => (typeof keep === 'string' && keep.startsWith('redis') ? `${keep}${CENSOR}@` : typeof keep === 'string' ? `${keep} ${CENSOR}` : CENSOR));
  }
  return out;
}
