import type { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { readAuditLog } from '../common/audit/audit-log';
import { WITHHOLDING_RULES_VERSION, type RevisionPattern } from '../domain/suppression';
import type { KeptPattern, PatternArchive } from './confidentiality';
import {
  AuditEntry,
  NewHireFiguresRevision,
  StaffFiguresRevision,
  StaffUnitFigures,
  TraineeFiguresRevision,
  TrainingFiguresRevision,
  WithheldPatternRecord,
} from './entities';
import type { RevisedFigures } from './entities/revised-figures.entity';

/** Which years to read: a list, or a closed range. */
export type YearFilter = { years: readonly number[] } | { from: number; to: number };

/** Plain data access for one city's figures; every read returns the latest revision only. */
export class FiguresStore implements PatternArchive {
  constructor(private readonly dataSource: DataSource) {}

  /** Every withheld pattern kept under the rules in force. */
  async keptPatterns(): Promise<KeptPattern[]> {
    const records = await this.dataSource.getRepository(WithheldPatternRecord).findBy({ rulesVersion: WITHHOLDING_RULES_VERSION });
    return records.map((record) => ({
      kind: record.kind,
      revisionId: record.revisionId,
      pattern: {
        withheld: new Set(record.withheld),
        assumesPublishedUnchanged: record.assumesPublishedUnchanged,
        hidesRevision: record.hidesRevision,
      } satisfies RevisionPattern,
    }));
  }

  /** Keeps patterns once decided; one already kept (by another process of the city) stays as it is. */
  async keepPatterns(patterns: readonly KeptPattern[]): Promise<void> {
    if (patterns.length === 0) return;
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(WithheldPatternRecord)
      .values(
        patterns.map(({ kind, revisionId, pattern }) => ({
          kind,
          revisionId,
          rulesVersion: WITHHOLDING_RULES_VERSION,
          withheld: [...pattern.withheld].sort(),
          assumesPublishedUnchanged: pattern.assumesPublishedUnchanged,
          hidesRevision: pattern.hidesRevision,
        })),
      )
      .orIgnore()
      .execute();
  }

  staff(filter: YearFilter): Promise<StaffFiguresRevision[]> {
    return this.latest(StaffFiguresRevision, filter, ['year']);
  }

  newHires(filter: YearFilter): Promise<NewHireFiguresRevision[]> {
    return this.latest(NewHireFiguresRevision, filter, ['year']);
  }

  trainees(filter: YearFilter): Promise<TraineeFiguresRevision[]> {
    return this.latest(TraineeFiguresRevision, filter, ['year']);
  }

  /** Per year and unit: the latest revision of each unit's training figures. */
  training(filter: YearFilter): Promise<TrainingFiguresRevision[]> {
    return this.latest(TrainingFiguresRevision, filter, ['year', 'unitId']);
  }

  /** Every revision of the given years (and units), oldest first: the history behind the latest figures. */
  history<Row extends RevisedFigures & ObjectLiteral>(entity: EntityTarget<Row>, filter: YearFilter): Promise<Row[]> {
    const query = this.dataSource.getRepository(entity).createQueryBuilder('figures');
    return inYears(query, filter).orderBy('figures.year', 'ASC').addOrderBy('figures.revision', 'ASC').addOrderBy('figures.id', 'ASC').getMany();
  }

  /**
   * Every staff revision of the given years, oldest first, each with its breakdown by unit (`units`), in one
   * statement: what withholding counts from confidential readers is computed from.
   */
  staffHistory(filter: YearFilter): Promise<StaffFiguresRevision[]> {
    const query = this.dataSource.getRepository(StaffFiguresRevision).createQueryBuilder('figures').leftJoinAndSelect('figures.units', 'units');
    return inYears(query, filter)
      .orderBy('figures.year', 'ASC')
      .addOrderBy('figures.revision', 'ASC')
      .addOrderBy('figures.id', 'ASC')
      .addOrderBy('units.id', 'ASC')
      .getMany();
  }

  /** The audit log, newest first, `before` an entry id for the next page. */
  auditLog(limit: number, before?: string | null): Promise<AuditEntry[]> {
    return readAuditLog(this.dataSource.manager, limit, before);
  }

  unitBreakdowns(staffFiguresIds: readonly number[]): Promise<StaffUnitFigures[]> {
    return this.dataSource
      .getRepository(StaffUnitFigures)
      .createQueryBuilder('unit_figures')
      .where('unit_figures.staffFiguresId = ANY(:ids)', { ids: [...staffFiguresIds] })
      .orderBy('unit_figures.id')
      .getMany();
  }

  private latest<Row extends RevisedFigures & ObjectLiteral>(
    entity: EntityTarget<Row>,
    filter: YearFilter,
    partition: readonly string[],
  ): Promise<Row[]> {
    const query = this.dataSource
      .getRepository(entity)
      .createQueryBuilder('figures')
      .distinctOn(partition.map((column) => `figures.${column}`));
    inYears(query, filter);
    partition.forEach((column, index) =>
      index === 0 ? query.orderBy(`figures.${column}`, 'ASC') : query.addOrderBy(`figures.${column}`, 'ASC'),
    );
    return query.addOrderBy('figures.revision', 'DESC').getMany();
  }
}

function inYears<Row extends ObjectLiteral>(query: SelectQueryBuilder<Row>, filter: YearFilter): SelectQueryBuilder<Row> {
  return 'years' in filter ? query.where('figures.year = ANY(:years)', { years: [...filter.years] }) : query.where('figures.year BETWEEN :from AND :to', filter);
}
