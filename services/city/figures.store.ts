import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
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

/**
 * Plain data access for one city's figures. The figure reads are plain SQL: they run on every question asked, and
 * TypeORM's query builder and entity mapping cost about a tenth of a city's CPU per question
 * (docs/performance.md#cost-per-question). Writes and the rarer reads keep TypeORM.
 */
export class FiguresStore implements PatternArchive {
  /** Each read's SQL by its table and kind, put together once per process: only the parameters differ between reads. */
  private readonly statements = new Map<EntityTarget<ObjectLiteral>, Map<string, string>>();

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
    const [where, parameters] = inYears(filter);
    const sql = this.statement(entity, `history ${where}`, ({ select, table }) => `SELECT ${select('figures')} FROM ${table} figures WHERE ${where} ORDER BY figures.year, figures.revision, figures.id`);
    return this.read(sql, parameters);
  }

  /**
   * Every staff revision of the given years, oldest first, each with its breakdown by unit (`units`), in one
   * statement: what withholding counts from confidential readers is computed from.
   */
  staffHistory(filter: YearFilter): Promise<StaffFiguresRevision[]> {
    const [where, parameters] = inYears(filter);
    const sql = this.statement(StaffFiguresRevision, `history with units ${where}`, (staff) => {
      const units = entityColumns(this.dataSource, StaffUnitFigures);
      return (
        `SELECT ${staff.select('figures')}, COALESCE((SELECT json_agg(json_build_object(${units.jsonFields('units')}) ORDER BY units.id) ` +
        `FROM ${units.table} units WHERE units.staff_figures_id = figures.id), '[]'::json) AS units ` +
        `FROM ${staff.table} figures WHERE ${where} ORDER BY figures.year, figures.revision, figures.id`
      );
    });
    return this.read(sql, parameters);
  }

  /** The audit log, newest first, `before` an entry id for the next page. */
  auditLog(limit: number, before?: string | null): Promise<AuditEntry[]> {
    return readAuditLog(this.dataSource.manager, limit, before);
  }

  unitBreakdowns(staffFiguresIds: readonly number[]): Promise<StaffUnitFigures[]> {
    const sql = this.statement(StaffUnitFigures, 'by staff figures', ({ select, table }) => `SELECT ${select('units')} FROM ${table} units WHERE units.staff_figures_id = ANY($1::int[]) ORDER BY units.id`);
    return this.read(sql, [[...staffFiguresIds]]);
  }

  /** The latest revision of each partition (a year, or a year and unit): PostgreSQL's DISTINCT ON over revisions newest first. */
  private latest<Row extends RevisedFigures & ObjectLiteral>(entity: EntityTarget<Row>, filter: YearFilter, partition: ReadonlyArray<keyof Row & string>): Promise<Row[]> {
    const [where, parameters] = inYears(filter);
    const sql = this.statement(entity, `latest by ${partition.join(', ')} ${where}`, ({ select, table, column }) => {
      const partitionColumns = partition.map((property) => `figures.${column(property)}`).join(', ');
      return `SELECT DISTINCT ON (${partitionColumns}) ${select('figures')} FROM ${table} figures WHERE ${where} ORDER BY ${partitionColumns}, figures.revision DESC`;
    });
    return this.read(sql, parameters);
  }

  /** Rows as the statement names them: every column is selected under its entity's property name. */
  private async read<Row>(sql: string, parameters: unknown[]): Promise<Row[]> {
    return (await this.dataSource.query(sql, parameters)) as Row[];
  }

  /** The SQL of one kind of read of `entity`'s table, built from its columns the first time it is asked for. */
  private statement(entity: EntityTarget<ObjectLiteral>, kind: string, build: (columns: EntityColumns) => string): string {
    let ofEntity = this.statements.get(entity);
    if (!ofEntity) this.statements.set(entity, (ofEntity = new Map()));
    let sql = ofEntity.get(kind);
    if (sql === undefined) ofEntity.set(kind, (sql = build(entityColumns(this.dataSource, entity))));
    return sql;
  }
}

/** An entity's table and columns as SQL, from TypeORM's metadata: the entities stay the one description of the tables. */
interface EntityColumns {
  /** Schema and table, quoted. */
  table: string;
  /** Every column of the table named `alias` under its property name: `figures."provenance_kind" AS "provenanceKind", ...`. */
  select: (alias: string) => string;
  /** Every column of the table named `alias` as `json_build_object` arguments: `'provenanceKind', figures."provenance_kind", ...`. */
  jsonFields: (alias: string) => string;
  /** The quoted column of a property. */
  column: (property: string) => string;
}

function entityColumns(dataSource: DataSource, entity: EntityTarget<ObjectLiteral>): EntityColumns {
  const metadata = dataSource.getMetadata(entity);
  const quote = (name: string) => dataSource.driver.escape(name);
  const byProperty = new Map(metadata.columns.map((column) => [column.propertyName, quote(column.databaseName)]));
  return {
    table: metadata.schema ? `${quote(metadata.schema)}.${quote(metadata.tableName)}` : quote(metadata.tableName),
    select: (alias) => [...byProperty].map(([property, column]) => `${alias}.${column} AS ${quote(property)}`).join(', '),
    jsonFields: (alias) => [...byProperty].map(([property, column]) => `'${property}', ${alias}.${column}`).join(', '),
    column: (property) => {
      const column = byProperty.get(property);
      if (!column) throw new Error(`${metadata.name} has no column for ${property}`);
      return column;
    },
  };
}

/** The WHERE condition on `figures.year` (one text per kind of filter) and its parameters. */
function inYears(filter: YearFilter): [string, unknown[]] {
  return 'years' in filter ? ['figures.year = ANY($1::int[])', [[...filter.years]]] : ['figures.year BETWEEN $1 AND $2', [filter.from, filter.to]];
}
