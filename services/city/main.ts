import 'reflect-metadata';
import { env, readEnv } from '../common/config';
import { createLogger } from '../common/logger';
import { runMain, stopOnSignals } from '../common/process-lifecycle';
import { startCity } from './service';

/** Settings that name one city's own port: with several cities in a process, each listens on its registry port. */
const ONE_CITY_SETTINGS = ['PORT', 'HEALTH_PORT'] as const;

/**
 * A city's subgraph: `npm run city -- duisburg` (or `CITY=duisburg`). Several cities may share the process
 * (`node dist/services/city/main.js bochum essen`, or `CITY=bochum,essen`), as `npm start` runs them on embedded
 * PostgreSQL to start in seconds: each still has its own port, database schema, roles, credentials and caches, but
 * a crash takes the process's cities down together, so a deployment runs one city per process (docs/deployment.md).
 */
async function main(): Promise<void> {
  const named = process.argv.slice(2);
  const cityIds = named.length > 0 ? named : (process.env.CITY ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  if (cityIds.length === 0) throw new Error('name the city: npm run city -- <id> (or set CITY), e.g. npm run city -- duisburg');
  if (new Set(cityIds).size !== cityIds.length) throw new Error(`a city is named twice: ${cityIds.join(', ')}`);
  if (cityIds.length > 1) {
    const given = ONE_CITY_SETTINGS.filter((name) => process.env[name] !== undefined);
    if (given.length > 0) throw new Error(`${given.join(' and ')} ${given.length === 1 ? 'names' : 'name'} one city's port, but this process serves ${cityIds.length} cities, each on its registry port: unset ${given.join(' and ')}`);
  }
  // One after the other would add their waits for the database; together they overlap them.
  const started = await Promise.allSettled(cityIds.map((cityId) => startCity(cityId)));
  const running = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  const stopAll = async () => {
    await Promise.allSettled(running.map((city) => city.stop()));
  };
  if (failed) {
    // A process serves all its cities or none: a half-started one would look healthy to a supervisor asking one city.
    await stopAll();
    throw failed.reason;
  }
  const logger = running.length === 1 ? running[0]!.logger : createLogger('cities', readEnv({ LOG_LEVEL: env.logLevel() }).LOG_LEVEL);
  stopOnSignals(stopAll, logger);
}

runMain('city', main);
