import { gapPoints, ratio } from '../common/domain/shares';
import { suppressBreakdown } from '../common/domain/suppression';
import { parityBasisOf, parityBasisProvenance, type Member } from '../common/registry';
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

export function toStaffFigures(row: StaffFiguresRevision, member: Member): StaffFiguresWithoutUnits {
  const share = ratio(row.withMigrationHistory, row.respondents);
  const target = staffTargetOf(member, row.year);
  return {
    staffFiguresId: row.id,
    year: row.year,
    headcount: row.headcount,
    respondents: row.respondents,
    withMigrationHistory: row.withMigrationHistory,
    withForeignNationality: row.withForeignNationality,
    share,
    responseRate: ratio(row.respondents, row.headcount),
    foreignNationalityShare: ratio(row.withForeignNationality, row.headcount),
    target,
    gapPoints: gapPoints(target.share, share),
    provenance: provenanceOf(row),
    revision: revisionOf(row),
  };
}

/**
 * A staff revision's breakdown by unit. For readers who may not see small counts (`confidential`), counts of 1
 * or 2 are withheld, and since the city's totals are published, enough other cells with them.
 */
export function toUnitBreakdown(
  rows: readonly StaffUnitFigures[],
  units: ReadonlyMap<string, UnitDefinition>,
  confidential: boolean,
): UnitStaffFigures[] {
  const cells = rows.map(({ headcount, respondents, withMigrationHistory }) => ({ headcount, respondents, withMigrationHistory }));
  const shown = confidential
    ? suppressBreakdown(cells, ['headcount', 'respondents', 'withMigrationHistory'], true)
    : cells.map((row) => ({ row, suppressed: [] }));
  return rows.map((row, index) => {
    const { row: counts, suppressed } = shown[index]!;
    return {
      unit: row.unitId,
      unitName: units.get(row.unitId)?.name ?? row.unitId,
      ...counts,
      share: ratio(counts.withMigrationHistory, counts.respondents),
      suppressed,
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

/**
 * Training figures per unit. No total across units is published, so only the small counts themselves are
 * withheld from readers who may not see them.
 */
export function toTrainingFigures(
  rows: readonly TrainingFiguresRevision[],
  units: ReadonlyMap<string, UnitDefinition>,
  confidential: boolean,
): TrainingFigures[] {
  const cells = rows.map(({ staffInScope, completed }) => ({ staffInScope, completed }));
  const shown = confidential ? suppressBreakdown(cells, ['staffInScope', 'completed'], false) : cells.map((row) => ({ row, suppressed: [] }));
  return rows.map((row, index) => {
    const unit = units.get(row.unitId);
    const { row: counts, suppressed } = shown[index]!;
    return {
      year: row.year,
      unit: row.unitId,
      unitName: unit?.name ?? row.unitId,
      jobcenter: unit?.jobcenter ?? false,
      ...counts,
      completionRate: ratio(counts.completed, counts.staffInScope),
      suppressed,
      provenance: provenanceOf(row),
      revision: revisionOf(row),
    };
  });
}

/** Rows by year, then in the order the city lists its units (the Jobcenter first by default). */
export function inUnitOrder<Row extends { year: number; unitId: string }>(rows: readonly Row[], units: ReadonlyMap<string, UnitDefinition>): Row[] {
  const position = new Map([...units.keys()].map((id, index) => [id, index]));
  return [...rows].sort((a, b) => a.year - b.year || (position.get(a.unitId) ?? Infinity) - (position.get(b.unitId) ?? Infinity));
}
