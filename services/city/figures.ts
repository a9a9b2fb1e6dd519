import { gapPoints, ratio } from '../domain/shares';
import { STAFF_COLUMNS, TRAINING_COLUMNS, staffTotalCell, staffUnitCell, trainingCell, type StaffColumn, type TrainingColumn } from '../domain/suppression';
import { parityBasisOf } from '../domain/members';
import { parityBasisProvenance, type Member } from '../common/registry';
import type { Provenance } from '../common/graphql/provenance.type';
import type {
  NewHireFiguresRevision,
  StaffFiguresRevision,
  StaffUnitFigures,
  TraineeFiguresRevision,
  TrainingFiguresRevision,
} from './entities';
import type { RevisedFigures } from './entities/revised-figures.entity';
import type { NewHireFigures, TraineeFigures } from './types/trainee-figures.type';
import type { Revision } from './types/revision.type';
import type { StaffFigures, StaffTarget, UnitStaffFigures } from './types/staff-figures.type';
import type { SuppressedValue } from './types/suppressed-value.type';
import type { TrainingFigures } from './types/training-figures.type';
import type { UnitDefinition } from './units';

/** Turns stored revisions into what the schema shows: shares computed, nulls kept, provenance attached. */

export function provenanceOf(row: RevisedFigures): Provenance {
  return { kind: row.provenanceKind, source: row.provenanceSource, note: row.provenanceNote };
}

export function revisionOf(row: RevisedFigures): Revision {
  return { number: row.revision, submittedBy: row.submittedBy, submittedAt: row.submittedAt, reason: row.reason };
}

/** The city's staff target for a reporting year: its stated share, or the parity basis of that year. */
export function staffTargetOf(member: Member, year: number): StaffTarget {
  if (member.staffTarget.kind === 'FIXED') {
    return {
      kind: 'FIXED',
      share: member.staffTarget.share,
      basisYear: null,
      provenance: { kind: 'OFFICIAL', source: member.staffTarget.source, note: null },
    };
  }
  const basis = parityBasisOf(member, year);
  return { kind: 'POPULATION_PARITY', share: basis.figure.share, basisYear: basis.figure.year, provenance: parityBasisProvenance(basis, year) };
}

/** The staff figures without their unit breakdown, which is loaded only when asked for. */
export type StaffFiguresWithoutUnits = Omit<StaffFigures, 'byUnit'> & { staffFiguresId: number };

const NOTHING_WITHHELD: ReadonlySet<string> = new Set();

/** Null where withheld; what is published of a count. */
const shown = (value: number | null, withheld: boolean): number | null => (withheld ? null : value);

const suppressedValues = <Column extends string>(columns: readonly Column[], isWithheld: (column: Column) => boolean): SuppressedValue[] =>
  columns.filter(isWithheld).map((field) => ({ field, reason: 'CONFIDENTIAL' }));

/**
 * A staff revision as the schema shows it. `withheld` holds the cells withheld from this reader (keys of
 * services/domain/suppression): a withheld city total is null, and so is every share or rate made from it.
 */
export function toStaffFigures(row: StaffFiguresRevision, member: Member, withheld: ReadonlySet<string> = NOTHING_WITHHELD): StaffFiguresWithoutUnits {
  const isWithheld = (column: StaffColumn) => withheld.has(staffTotalCell(column));
  const headcount = shown(row.headcount, isWithheld('headcount'));
  const respondents = shown(row.respondents, isWithheld('respondents'));
  const withMigrationHistory = shown(row.withMigrationHistory, isWithheld('withMigrationHistory'));
  const share = ratio(withMigrationHistory, respondents);
  const target = staffTargetOf(member, row.year);
  return {
    staffFiguresId: row.id,
    year: row.year,
    headcount,
    respondents,
    withMigrationHistory,
    withForeignNationality: row.withForeignNationality,
    share,
    responseRate: ratio(respondents, headcount),
    foreignNationalityShare: ratio(row.withForeignNationality, headcount),
    target,
    gapPoints: gapPoints(target.share, share),
    suppressed: suppressedValues(STAFF_COLUMNS, isWithheld),
    provenance: provenanceOf(row),
    revision: revisionOf(row),
  };
}

/** A staff revision's breakdown by unit, with the cells in `withheld` withheld (null, and named in `suppressed`). */
export function toUnitBreakdown(
  rows: readonly StaffUnitFigures[],
  units: ReadonlyMap<string, UnitDefinition>,
  withheld: ReadonlySet<string> = NOTHING_WITHHELD,
): UnitStaffFigures[] {
  return rows.map((row) => {
    const isWithheld = (column: StaffColumn) => withheld.has(staffUnitCell(row.unitId, column));
    const respondents = shown(row.respondents, isWithheld('respondents'));
    const withMigrationHistory = shown(row.withMigrationHistory, isWithheld('withMigrationHistory'));
    return {
      unit: row.unitId,
      unitName: units.get(row.unitId)?.name ?? row.unitId,
      headcount: shown(row.headcount, isWithheld('headcount')),
      respondents,
      withMigrationHistory,
      share: ratio(withMigrationHistory, respondents),
      suppressed: suppressedValues(STAFF_COLUMNS, isWithheld),
    };
  });
}

export function toTraineeFigures(row: TraineeFiguresRevision): TraineeFigures {
  return {
    year: row.year,
    intake: row.intake,
    withMigrationHistory: row.withMigrationHistory,
    share: ratio(row.withMigrationHistory, row.intake),
    provenance: provenanceOf(row),
    revision: revisionOf(row),
  };
}

export function toNewHireFigures(row: NewHireFiguresRevision): NewHireFigures {
  return {
    year: row.year,
    total: row.total,
    withMigrationHistory: row.withMigrationHistory,
    share: ratio(row.withMigrationHistory, row.total),
    provenance: provenanceOf(row),
    revision: revisionOf(row),
  };
}

/** Training revisions per unit, each with the cells withheld from this reader (null, and named in `suppressed`). */
export function toTrainingFigures(
  rows: ReadonlyArray<{ row: TrainingFiguresRevision; withheld: ReadonlySet<string> }>,
  units: ReadonlyMap<string, UnitDefinition>,
): TrainingFigures[] {
  return rows.map(({ row, withheld }) => {
    const unit = units.get(row.unitId);
    const isWithheld = (column: TrainingColumn) => withheld.has(trainingCell(column));
    const staffInScope = shown(row.staffInScope, isWithheld('staffInScope'));
    const completed = shown(row.completed, isWithheld('completed'));
    return {
      year: row.year,
      unit: row.unitId,
      unitName: unit?.name ?? row.unitId,
      jobcenter: unit?.jobcenter ?? false,
      staffInScope,
      completed,
      completionRate: ratio(completed, staffInScope),
      suppressed: suppressedValues(TRAINING_COLUMNS, isWithheld),
      provenance: provenanceOf(row),
      revision: revisionOf(row),
    };
  });
}

/** Rows by year, then in the order the city lists its units (the Jobcenter first by default). */
export function inUnitOrder<Entry extends { row: { year: number; unitId: string } }>(entries: readonly Entry[], units: ReadonlyMap<string, UnitDefinition>): Entry[] {
  const position = new Map([...units.keys()].map((id, index) => [id, index]));
  return [...entries].sort(
    (a, b) => a.row.year - b.row.year || (position.get(a.row.unitId) ?? Infinity) - (position.get(b.row.unitId) ?? Infinity),
  );
}
