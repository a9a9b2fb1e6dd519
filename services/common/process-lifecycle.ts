import type { Logger } from './logger';

/**
 * Stops cleanly on Ctrl-C or SIGTERM: requests in flight finish, pools close, then the process exits.
 * A second signal exits at once.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Started by `npm start`: stop with the supervisor, even if it was killed without a chance to stop us.
  if (process.connected) process.once('disconnect', () => onSignal('SIGTERM'));
}

/** Runs a process's main function; a start-up failure is reported in one line and exits non-zero. */
export function runMain(service: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    process.stderr.write(`${service}: cannot start: ${message}\n`);
    process.exit(1);
  });
}
