import type { DataSource } from 'typeorm';
import { openDatabase } from '../common/database';
import type { DatabaseSettings } from '../common/database-config';
import type { Logger } from '../common/logger';
import type { ServiceMetrics } from '../common/metrics';
import { retryUntilAvailable } from '../common/retry';
import { cityEntities } from './entities';
import { cityMigrations, cityRuntimePrivileges } from './migrations';

export function openCityDatabase(settings: DatabaseSettings, service: string, logger: Logger, metrics: ServiceMetrics): Promise<DataSource> {
  return retryUntilAvailable(
    () =>
      openDatabase({
        ...settings,
        entities: cityEntities,
        migrations: cityMigrations,
        privileges: cityRuntimePrivileges,
        applicationName: service,
        logger,
        metrics,
      }),
    { what: `the database of ${service}`, logger },
  );
}
