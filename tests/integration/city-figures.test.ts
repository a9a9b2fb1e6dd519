/**
 * A city's figure tables on real PostgreSQL: migrations, latest-revision reads, the database's own refusal
 * to change or lose a submitted figure, and the history that what is withheld from readers is computed from.
 */
import type { DataSource } from 'typeorm';
import { StaffFiguresRevision, StaffUnitFigures, TrainingFiguresRevision, OrganisationalUnit, WithheldPatternRecord } from '../../services/city/entities';
import { CityLoaders, warmWithheldFigures } from '../../services/city/figures.loaders';
import { FiguresStore } from '../../services/city/figures.store';
import { WITHHOLDING_RULES_VERSION, staffTotalCell, staffUnitCell } from '../../services/domain/suppression';
import { cityMigrations } from '../../services/city/migrations';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { openCityDatabaseForTest } from '../support/city-database';

let database: TestDatabase;
let dataSource: DataSource;

const revision = (year: number, number: number, submittedBy: string) => ({
  year,
  revision: number,
  provenanceKind: 'SUBMITTED' as const,
  provenanceSource: null,
  provenanceNote: null,
  submittedBy,
  reason: number > 1 ? 'correction' : null,
});

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = await openCityDatabaseForTest(database.url);
  await dataSource.getRepository(OrganisationalUnit).insert([
    { id: 'jobcenter', nameDe: 'Jobcenter', nameEn: 'Jobcenter', isJobcenter: true },
    { id: 'jugendamt', nameDe: 'Jugendamt', nameEn: 'Youth welfare office', isJobcenter: false },
  ]);
  const staff = dataSource.getRepository(StaffFiguresRevision);
  await staff.insert({ ...revision(2023, 1, 'hr-a'), headcount: 1000, respondents: 600, withMigrationHistory: 120, withForeignNationality: 40 });
  await staff.insert({ ...revision(2023, 2, 'hr-b'), headcount: 1000, respondents: 610, withMigrationHistory: 125, withForeignNationality: 40 });
  await staff.insert({ ...revision(2024, 1, 'hr-a'), headcount: 1010, respondents: 620, withMigrationHistory: 130, withForeignNationality: null });
  const training = dataSource.getRepository(TrainingFiguresRevision);
  await training.insert({ ...revision(2024, 1, 'hr-a'), unitId: 'jobcenter', staffInScope: 80, completed: 20 });
  await training.insert({ ...revision(2024, 2, 'hr-b'), unitId: 'jobcenter', staffInScope: 80, completed: 30 });
  await training.insert({ ...revision(2024, 1, 'hr-a'), unitId: 'jugendamt', staffInScope: 100, completed: 5 });
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

describe('FiguresStore', () => {
  const store = () => new FiguresStore(dataSource);

  it('reads the latest revision of each year', async () => {
    const rows = await store().staff({ years: [2023, 2024, 2025] });
    expect(rows.map((row) => [row.year, row.revision, row.submittedBy, row.respondents])).toEqual([
      [2023, 2, 'hr-b', 610],
      [2024, 1, 'hr-a', 620],
    ]);
  });

  it('reads a range the same way', async () => {
    const rows = await store().staff({ from: 2020, to: 2023 });
    expect(rows.map((row) => [row.year, row.revision])).toEqual([[2023, 2]]);
  });

  it('reads the latest revision per year and unit', async () => {
    const rows = await store().training({ years: [2024] });
    expect(rows.map((row) => [row.unitId, row.revision, row.completed])).toEqual([
      ['jobcenter', 2, 30],
      ['jugendamt', 1, 5],
    ]);
  });

  it('keeps null as null', async () => {
    const [row] = await store().staff({ years: [2024] });
    expect(row!.withForeignNationality).toBeNull();
  });
});

describe('the database itself', () => {
  it('refuses to change a submitted figure: corrections are new revisions', async () => {
    // The service's own connection may not even try (tests/e2e/database-roles.test.ts attacks it in full);
    await expect(dataSource.query(`UPDATE city_test.staff_figures SET respondents = 1 WHERE year = 2023`)).rejects.toThrow(/permission denied/);
    await expect(dataSource.query(`DELETE FROM city_test.staff_figures WHERE year = 2023`)).rejects.toThrow(/permission denied/);
    // and the trigger refuses whoever may, a superuser included.
    await expect(database.query(`UPDATE city_test.staff_figures SET respondents = 1 WHERE year = 2023`)).rejects.toThrow(/append-only/);
    await expect(database.query(`DELETE FROM city_test.staff_figures WHERE year = 2023`)).rejects.toThrow(/append-only/);
    expect(await dataSource.getRepository(StaffFiguresRevision).count()).toBe(3);
  });

  it('refuses a second revision with the same number', async () => {
    await expect(
      dataSource.getRepository(StaffFiguresRevision).insert({ ...revision(2024, 1, 'hr-c'), headcount: 1, respondents: 1, withMigrationHistory: 1, withForeignNationality: null }),
    ).rejects.toThrow(/duplicate key/);
  });

  it('refuses counts that contradict each other', async () => {
    await expect(
      dataSource.getRepository(StaffFiguresRevision).insert({ ...revision(2022, 1, 'hr-c'), headcount: 10, respondents: 5, withMigrationHistory: 6, withForeignNationality: null }),
    ).rejects.toThrow(/check constraint/);
    await expect(
      dataSource.getRepository(StaffFiguresRevision).insert({ ...revision(2022, 1, 'hr-c'), headcount: -1, respondents: null, withMigrationHistory: null, withForeignNationality: null }),
    ).rejects.toThrow(/check constraint/);
  });

  it('applies its migrations once: opening again changes nothing', async () => {
    const again = await openCityDatabaseForTest(database.url);
    const applied = await again.query('SELECT name FROM city_test.schema_migrations');
    await again.destroy();
    expect(applied.map((row: { name: string }) => row.name)).toEqual(cityMigrations.map((migration) => new migration().name));
  });
});

describe('what readers outside the city see', () => {
  it("reads a year's staff history with its breakdowns, and withholds counts over the whole history", async () => {
    const staff = dataSource.getRepository(StaffFiguresRevision);
    const units = dataSource.getRepository(StaffUnitFigures);
    const breakdown = (staffFiguresId: number, jobcenter: number, jugendamt: number) =>
      units.insert([
        { staffFiguresId, unitId: 'jobcenter', headcount: jobcenter, respondents: null, withMigrationHistory: null },
        { staffFiguresId, unitId: 'jugendamt', headcount: jugendamt, respondents: null, withMigrationHistory: null },
      ]);
    const first = await staff.insert({ ...revision(2021, 1, 'hr-a'), headcount: 100, respondents: null, withMigrationHistory: null, withForeignNationality: null });
    await breakdown(first.identifiers[0]!.id, 2, 50);
    // The correction leaves the Jobcenter's 2 and the total as they were: 100 - 98 would pin the 2 in both revisions.
    const second = await staff.insert({ ...revision(2021, 2, 'hr-b'), headcount: 100, respondents: null, withMigrationHistory: null, withForeignNationality: null });
    await breakdown(second.identifiers[0]!.id, 2, 98);

    const history = await new FiguresStore(dataSource).staffHistory({ years: [2021] });
    expect(history.map((row) => [row.revision, row.units!.map((unit) => [unit.unitId, unit.headcount])])).toEqual([
      [1, [['jobcenter', 2], ['jugendamt', 50]]],
      [2, [['jobcenter', 2], ['jugendamt', 98]]],
    ]);

    const withheld = async () =>
      (await new CityLoaders(new FiguresStore(dataSource)).withheld.staffHistoryOf(2021)).map(({ row, withheld: cells }) => [row.revision, [...cells].sort()]);
    const expected = [
      [1, [staffUnitCell('jobcenter', 'headcount')]],
      [2, [staffUnitCell('jobcenter', 'headcount'), staffUnitCell('jugendamt', 'headcount')]],
    ];
    expect(await withheld()).toEqual(expected);
    // Another request, another store: the same patterns.
    expect(await withheld()).toEqual(expected);
    // Kept in the city's database once decided, under the rules' version.
    const kept = await dataSource.getRepository(WithheldPatternRecord).findBy({ kind: 'staff', revisionId: second.identifiers[0]!.id });
    expect(kept.map((record) => [record.rulesVersion, [...record.withheld].sort()])).toEqual([[WITHHOLDING_RULES_VERSION, expected[1]![1]]]);
  });

  it('reads the patterns an earlier process kept instead of deciding them again', async () => {
    const staff = dataSource.getRepository(StaffFiguresRevision);
    const only = await staff.insert({ ...revision(2019, 1, 'hr-a'), headcount: 500, respondents: null, withMigrationHistory: null, withForeignNationality: null });
    // A pattern these rules would not decide (nothing in it is small): only a kept one can say it.
    await dataSource.getRepository(WithheldPatternRecord).insert({
      kind: 'staff',
      revisionId: only.identifiers[0]!.id,
      rulesVersion: WITHHOLDING_RULES_VERSION,
      withheld: [staffTotalCell('headcount')],
      assumesPublishedUnchanged: false,
      hidesRevision: false,
    });
    // A new store is what a restarted process has: its warm-up reads what was kept.
    const restarted = new FiguresStore(dataSource);
    await warmWithheldFigures(restarted);
    const seen = await new CityLoaders(restarted).withheld.staffHistoryOf(2019);
    expect(seen.map(({ withheld: cells }) => [...cells])).toEqual([[staffTotalCell('headcount')]]);
  });

  it('refuses to change or drop a kept pattern: the service may not, nor may anyone else', async () => {
    await expect(dataSource.query(`UPDATE city_test.withheld_pattern SET withheld = '{}'`)).rejects.toThrow(/permission denied/);
    await expect(dataSource.query(`DELETE FROM city_test.withheld_pattern`)).rejects.toThrow(/permission denied/);
    await expect(database.query(`UPDATE city_test.withheld_pattern SET withheld = '{}'`)).rejects.toThrow(/append-only/);
    await expect(database.query(`DELETE FROM city_test.withheld_pattern`)).rejects.toThrow(/append-only/);
  });
});
