import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON logger per process; `service` tells the processes of a federation apart in a shared log. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}
