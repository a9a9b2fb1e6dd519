import type { DataSource } from 'typeorm';
import { cityEntities } from '../../services/city/entities';
import { cityMigrations, cityRuntimePrivileges } from '../../services/city/migrations';
import { openDatabase } from '../../services/common/database';
import { createLogger } from '../../services/common/logger';
import { ServiceMetrics } from '../../services/common/metrics';

/** A city's database as its service opens it: own schema, migrations applied, connected as the runtime role. */
export function openCityDatabaseForTest(url: string, schema = 'city_test'): Promise<DataSource> {
  return openDatabase({
    url,
    schema,
    poolSize: 4,
    entities: cityEntities,
    migrations: cityMigrations,
    privileges: cityRuntimePrivileges,
    applicationName: 'test',
    logger: createLogger('test', 'silent'),
    metrics: new ServiceMetrics('test'),
  });
}
