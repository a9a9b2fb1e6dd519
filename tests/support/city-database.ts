import type { DataSource } from 'typeorm';
import { cityEntities } from '../../services/city/entities';
import { cityMigrations } from '../../services/city/migrations';
import { openDatabase } from '../../services/common/database';
import { createLogger } from '../../services/common/logger';
import { ServiceMetrics } from '../../services/common/metrics';

/** A city's database as its service opens it: own schema, migrations applied. */
export function openCityDatabaseForTest(url: string, schema = 'city_test'): Promise<DataSource> {
  return openDatabase({
    url,
    schema,
    poolSize: 4,
    entities: cityEntities,
    migrations: cityMigrations,
    applicationName: 'test',
    logger: createLogger('test', 'silent'),
    metrics: new ServiceMetrics('test'),
  });
}
