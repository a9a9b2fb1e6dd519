import type { DataSource } from 'typeorm';
import { OrganisationalUnit } from './entities';
import type { UnitDefinition } from './units';

/**
 * Brings the unit table in line with the city's configured units (new units added, names updated) and returns
 * every unit it holds: figures of a unit dropped from the configuration keep their unit.
 */
export async function syncUnits(dataSource: DataSource, configured: readonly UnitDefinition[]): Promise<Map<string, UnitDefinition>> {
  await dataSource
    .createQueryBuilder()
    .insert()
    .into(OrganisationalUnit)
    .values(configured.map((unit) => ({ id: unit.id, nameDe: unit.name, nameEn: unit.nameEn, isJobcenter: unit.jobcenter ?? false })))
    .orUpdate(['name_de', 'name_en', 'is_jobcenter'], ['id'])
    .execute();
  const stored = await dataSource.getRepository(OrganisationalUnit).find({ order: { id: 'ASC' } });
  const order = new Map(configured.map((unit, index) => [unit.id, index]));
  stored.sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity));
  return new Map(stored.map((unit) => [unit.id, { id: unit.id, name: unit.nameDe, nameEn: unit.nameEn, jobcenter: unit.isJobcenter }]));
}
