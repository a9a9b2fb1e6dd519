import type { DataSource } from 'typeorm';
import type { Member } from '../../common/registry';
import {
  NewHireFiguresRevision,
  StaffFiguresRevision,
  StaffUnitFigures,
  TraineeFiguresRevision,
  TrainingFiguresRevision,
} from '../entities';
import type { UnitDefinition } from '../units';
import { DEMO_AUTHOR, DEMO_REASON, demoFigures, type DemoProvenance } from './demo-figures';
import { loadPublicFigures } from './public-figures';

/**
 * Writes the demo data set into an empty city database, in one transaction. A database that already holds
 * figures is left alone: demo data never mixes with, or replaces, what was submitted.
 */
export async function seedDemoData(dataSource: DataSource, member: Member, units: readonly UnitDefinition[]): Promise<boolean> {
  const figures = demoFigures(member, units, loadPublicFigures());
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`integration-forum-hub:seed:${member.id}`]);
    if ((await manager.count(StaffFiguresRevision)) > 0) return false;

    const revision = (year: number, provenance: DemoProvenance) => ({
      year,
      revision: 1,
      provenanceKind: provenance.kind,
      provenanceSource: provenance.source,
      provenanceNote: provenance.note,
      submittedBy: DEMO_AUTHOR,
      // As if each year had been reported in the spring after it.
      submittedAt: new Date(Date.UTC(year + 1, 2, 31)),
      reason: DEMO_REASON,
    });

    const staff = await manager
      .createQueryBuilder()
      .insert()
      .into(StaffFiguresRevision)
      .values(
        figures.staff.map((row) => ({
          ...revision(row.year, row.provenance),
          headcount: row.headcount,
          respondents: row.respondents,
          withMigrationHistory: row.withMigrationHistory,
          withForeignNationality: row.withForeignNationality,
        })),
      )
      .returning(['id', 'year'])
      .execute();
    const staffIdByYear = new Map(
      (staff.raw as Array<{ id: number; year: number }>).map((row) => [row.year, row.id]),
    );
    const unitRows = figures.staff.flatMap((row) =>
      (row.units ?? []).map((unit) => ({ staffFiguresId: staffIdByYear.get(row.year)!, ...unit })),
    );
    if (unitRows.length > 0) await manager.createQueryBuilder().insert().into(StaffUnitFigures).values(unitRows).execute();

    await manager
      .createQueryBuilder()
      .insert()
      .into(NewHireFiguresRevision)
      .values(figures.newHires.map((row) => ({ ...revision(row.year, row.provenance), total: row.total, withMigrationHistory: row.withMigrationHistory })))
      .execute();
    await manager
      .createQueryBuilder()
      .insert()
      .into(TraineeFiguresRevision)
      .values(figures.trainees.map((row) => ({ ...revision(row.year, row.provenance), intake: row.intake, withMigrationHistory: row.withMigrationHistory })))
      .execute();
    await manager
      .createQueryBuilder()
      .insert()
      .into(TrainingFiguresRevision)
      .values(
        figures.training.map((row) => ({
          ...revision(row.year, row.provenance),
          unitId: row.unitId,
          staffInScope: row.staffInScope,
          completed: row.completed,
        })),
      )
      .execute();
    return true;
  });
}

