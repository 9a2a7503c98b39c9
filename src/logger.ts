// pino to standard error (standard output belongs to the converse contract).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info'): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['token', 'botToken', 'appToken', 'signingSecret', 'appPassword', 'password', 'authorization', 'headers.authorization', '*.token', '*.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}
