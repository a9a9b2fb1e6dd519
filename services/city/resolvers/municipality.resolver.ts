import { GraphQLError } from 'graphql';
import { Access, seesUnsuppressedFigures } from '../../common/auth/access';
import { Arg, Args, Authorized, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { ANNUAL_FIGURES_FIELD_DESCRIPTION, AnnualFigures } from '../../common/graphql/annual-figures.type';
import {
  ANNUAL_FIGURES_TABLE_DESCRIPTION,
  AnnualFiguresTableScalar,
  toAnnualFiguresTable,
  type AnnualFiguresTable,
} from '../../common/graphql/annual-figures-table';
import { projectTarget } from '../../domain/projection';
import { leastSure } from '../../domain/targets';
import type { CityContext, CityReference } from '../context';
import {
  inUnitOrder,
  staffTargetOf,
  toNewHireFigures,
  toStaffFigures,
  toTraineeFigures,
  toTrainingFigures,
  toUnitBreakdown,
  type StaffFiguresWithoutUnits,
} from '../figures';
import { EARLIEST_YEAR, LATEST_YEAR, latestOf, unsuppressed, type WithheldFrom, type YearRange } from '../figures.loaders';
import type { TrainingFiguresRevision } from '../entities';
import { AuditLogArgs, UnitYearArgs, UnitYearRangeArgs, YearArgs, YearRangeArgs } from '../types/args';
import { toAuditLogEntry } from '../../common/audit/audit-log';
import { AuditLogEntry } from '../../common/graphql/audit-log-entry.type';
import { Municipality } from '../types/municipality.type';
import { OrganisationalUnitType } from '../types/organisational-unit.type';
import { StaffFigures, StaffTarget, UnitStaffFigures } from '../types/staff-figures.type';
import { StaffProjection } from '../types/staff-projection.type';
import { NewHireFigures, TraineeFigures } from '../types/trainee-figures.type';
import { TrainingFigures } from '../types/training-figures.type';
import { errorExtensions } from '../../common/error-codes';

/** Whether counts are withheld from this reader: from everyone but the city's own HR team and administrators. */
function confidential(context: CityContext): boolean {
  return !seesUnsuppressedFigures(context.viewer, context.member);
}

/**
 * The latest staff figures of each year in the range, as this reader may see them. A confidential reader's come
 * from each year's whole history, whose withheld totals are null here as everywhere.
 */
async function latestStaff(range: YearRange, context: CityContext): Promise<StaffFiguresWithoutUnits[]> {
  const rows = confidential(context)
    ? latestOf(await context.loaders.withheld.staffHistory(range))
    : (await context.loaders.staff.forRange(range)).map(unsuppressed);
  return rows.map(({ row, withheld }) => toStaffFigures(row, context.member, withheld));
}

/** The latest training figures of each year and unit in the range, as this reader may see them, in unit order. */
async function latestTraining(
  years: { range: YearRange } | { year: number },
  context: CityContext,
  keep: (unitId: string) => boolean = () => true,
): Promise<Array<WithheldFrom<TrainingFiguresRevision>>> {
  const { loaders } = context;
  const rows = confidential(context)
    ? latestOf(
        await ('year' in years ? loaders.withheld.trainingHistoryOf(years.year, keep) : loaders.withheld.trainingHistory(years.range, keep)),
        (row) => `${row.year}:${row.unitId}`,
      )
    : (await ('year' in years ? loaders.training.forYear(years.year) : loaders.training.forRange(years.range))).filter((row) => keep(row.unitId)).map(unsuppressed);
  return inUnitOrder(rows, context.units);
}

function yearRange(from: number | null | undefined, to: number | null | undefined): YearRange {
  const range = { from: Math.max(from ?? EARLIEST_YEAR, EARLIEST_YEAR), to: Math.min(to ?? LATEST_YEAR, LATEST_YEAR) };
  if (range.from > range.to) {
    throw new GraphQLError(`"from" (${from}) must not be after "to" (${to}).`, {
      extensions: errorExtensions('BAD_USER_INPUT', { field: 'from' }),
    });
  }
  return range;
}

/** The city's figures. Every lookup goes through the request's loaders, so repeated asks cost no extra SQL. */
@Resolver(() => Municipality)
export class MunicipalityResolver {
  @FieldResolver(() => StaffFigures, {
    nullable: true,
    description: "The year's staff figures (Personal), latest revision; null when the year is not reported.",
  })
  async staff(
    @Root() _city: CityReference,
    @Args() { year }: YearArgs,
    @Ctx() context: CityContext,
  ): Promise<StaffFiguresWithoutUnits | null> {
    if (!confidential(context)) {
      const [row] = await context.loaders.staff.forYear(year);
      return row ? toStaffFigures(row, context.member) : null;
    }
    const latest = (await context.loaders.withheld.staffHistoryOf(year)).at(-1);
    return latest ? toStaffFigures(latest.row, context.member, latest.withheld) : null;
  }

  @FieldResolver(() => [StaffFigures], {
    nullable: true,
    description: 'Staff figures over time: one entry per reported year in the range, ordered by year.',
  })
  async staffSeries(
    @Root() _city: CityReference,
    @Args() { from, to }: YearRangeArgs,
    @Ctx() context: CityContext,
  ): Promise<StaffFiguresWithoutUnits[]> {
    return latestStaff(yearRange(from, to), context);
  }

  @FieldResolver(() => StaffTarget, {
    nullable: true,
    description:
      "The city's own staff target (Zielquote) for a year: without a year, for the latest reported year (this calendar year when none is reported). A POPULATION_PARITY target follows the city's population figures, so it can differ from year to year.",
  })
  async staffTarget(
    @Root() _city: CityReference,
    @Arg('year', () => Int, { nullable: true, description: 'Reporting year (Berichtsjahr); default: the latest reported.' }) year: number | null,
    @Ctx() context: CityContext,
  ): Promise<StaffTarget> {
    if (year != null) return staffTargetOf(context.member, year);
    const rows = await context.loaders.staff.forRange(yearRange(null, null));
    return staffTargetOf(context.member, rows.at(-1)?.year ?? new Date().getUTCFullYear());
  }

  @FieldResolver(() => StaffProjection, {
    nullable: true,
    description:
      'When the staff target is reached at the current pace: the trend of the last five reported years, judged against the target of the latest reported year.',
  })
  async staffProjection(@Root() _city: CityReference, @Ctx() context: CityContext): Promise<StaffProjection> {
    // A year whose share is withheld from this reader is not part of its trend either.
    const series = (await latestStaff(yearRange(null, null), context)).flatMap(({ year, share }) => (share === null ? [] : [{ year, share }]));
    const latest = series.at(-1);
    const targetShare = staffTargetOf(context.member, latest?.year ?? new Date().getUTCFullYear()).share;
    return {
      targetShare,
      latestYear: latest?.year ?? null,
      latestShare: latest?.share ?? null,
      ...projectTarget(series, targetShare),
    };
  }

  @FieldResolver(() => TraineeFigures, {
    nullable: true,
    description: "The year's trainee intake (Auszubildende), latest revision; null when not reported.",
  })
  async trainees(
    @Root() _city: CityReference,
    @Args() { year }: YearArgs,
    @Ctx() context: CityContext,
  ): Promise<TraineeFigures | null> {
    const [row] = await context.loaders.trainees.forYear(year);
    return row ? toTraineeFigures(row) : null;
  }

  @FieldResolver(() => [TraineeFigures], {
    nullable: true,
    description: 'Trainee intake over time: one entry per reported year in the range, ordered by year.',
  })
  async traineeSeries(
    @Root() _city: CityReference,
    @Args() { from, to }: YearRangeArgs,
    @Ctx() context: CityContext,
  ): Promise<TraineeFigures[]> {
    const rows = await context.loaders.trainees.forRange(yearRange(from, to));
    return rows.map(toTraineeFigures);
  }

  @FieldResolver(() => NewHireFigures, {
    nullable: true,
    description: "The year's new hires (Neueinstellungen), latest revision; null when not reported.",
  })
  async newHires(
    @Root() _city: CityReference,
    @Args() { year }: YearArgs,
    @Ctx() context: CityContext,
  ): Promise<NewHireFigures | null> {
    const [row] = await context.loaders.newHires.forYear(year);
    return row ? toNewHireFigures(row) : null;
  }

  @FieldResolver(() => [TrainingFigures], {
    nullable: true,
    description: "The year's intercultural training per organisational unit (the Jobcenter is one); empty when not reported.",
  })
  async interculturalTraining(
    @Root() _city: CityReference,
    @Args() { year, unit }: UnitYearArgs,
    @Ctx() context: CityContext,
  ): Promise<TrainingFigures[]> {
    return toTrainingFigures(await latestTraining({ year }, context, (id) => unit == null || id === unit), context.units);
  }

  @FieldResolver(() => [TrainingFigures], {
    nullable: true,
    description: 'Intercultural training over time, per year and unit, ordered by year.',
  })
  async interculturalTrainingSeries(
    @Root() _city: CityReference,
    @Args() { from, to, unit }: UnitYearRangeArgs,
    @Ctx() context: CityContext,
  ): Promise<TrainingFigures[]> {
    return toTrainingFigures(await latestTraining({ range: yearRange(from, to) }, context, (id) => unit == null || id === unit), context.units);
  }

  @FieldResolver(() => [OrganisationalUnitType], {
    nullable: true,
    description: "The city's organisational units that report figures.",
  })
  units(@Root() _city: CityReference, @Ctx() context: CityContext): OrganisationalUnitType[] {
    return [...context.units.values()].map((unit) => ({
      id: unit.id,
      name: unit.name,
      nameEn: unit.nameEn,
      jobcenter: unit.jobcenter ?? false,
    }));
  }

  @Directive('@inaccessible')
  @FieldResolver(() => AnnualFiguresTableScalar, {
    nullable: true,
    description: ANNUAL_FIGURES_TABLE_DESCRIPTION,
  })
  async annualFiguresTable(@Root() city: CityReference, @Ctx() context: CityContext): Promise<AnnualFiguresTable> {
    // The very figures of annualFigures, withheld counts null as there: only their shape differs.
    return toAnnualFiguresTable(context.member.id, await this.annualFigures(city, context));
  }

  @FieldResolver(() => [AnnualFigures], {
    nullable: true,
    description: ANNUAL_FIGURES_FIELD_DESCRIPTION,
  })
  async annualFigures(@Root() _city: CityReference, @Ctx() context: CityContext): Promise<AnnualFigures[]> {
    const all = yearRange(null, null);
    const isJobcenter = (unitId: string) => context.units.get(unitId)?.jobcenter ?? false;
    // Withheld counts are null here as everywhere they are published: the forum then counts the year as not reported.
    const [staff, trainees, training, jobcenterTraining] = await Promise.all([
      latestStaff(all, context),
      context.loaders.trainees.forRange(all),
      // The same statement as the one behind the Jobcenter's figures (the loaders share it).
      confidential(context) ? context.loaders.training.historyForRange(all) : context.loaders.training.forRange(all),
      latestTraining({ range: all }, context, isJobcenter).then((rows) => toTrainingFigures(rows, context.units)),
    ]);
    const years = [...new Set([...staff, ...trainees, ...training].map((row) => row.year))].sort((a, b) => a - b);
    return years.map((year) => {
      const staffRow = staff.find((row) => row.year === year);
      const traineeRow = trainees.find((row) => row.year === year);
      const jobcenterRows = jobcenterTraining.filter((row) => row.year === year);
      const sum = (values: Array<number | null>) =>
        values.length === 0 || values.some((value) => value === null) ? null : values.reduce<number>((a, b) => a + (b ?? 0), 0);
      return {
        municipalityId: context.member.id,
        year,
        staffRespondents: staffRow?.respondents ?? null,
        staffWithMigrationHistory: staffRow?.withMigrationHistory ?? null,
        traineeIntake: traineeRow?.intake ?? null,
        traineesWithMigrationHistory: traineeRow?.withMigrationHistory ?? null,
        jobcenterStaffInScope: sum(jobcenterRows.map((row) => row.staffInScope)),
        jobcenterTrainingCompleted: sum(jobcenterRows.map((row) => row.completed)),
        staffHeadcount: staffRow?.headcount ?? null,
        staffProvenance: staffRow?.provenance.kind ?? null,
        traineeProvenance: traineeRow?.provenanceKind ?? null,
        jobcenterTrainingProvenance: leastSure(jobcenterRows.map((row) => row.provenance.kind)),
      };
    });
  }
}

const MEMBERS_AND_ABOVE = 'Forum members and above.';

/** Revision history and audit log: who changed what, for members and administrators. */
@Resolver(() => Municipality)
export class MunicipalityHistoryResolver {
  @Authorized(Access.MEMBER)
  @FieldResolver(() => [StaffFigures], {
    nullable: true,
    description: `Every revision of a year's staff figures, oldest first (Revisionsverlauf). ${MEMBERS_AND_ABOVE}`,
  })
  async staffRevisions(@Root() _city: CityReference, @Args() { year }: YearArgs, @Ctx() context: CityContext): Promise<StaffFiguresWithoutUnits[]> {
    const history = confidential(context) ? await context.loaders.withheld.staffHistoryOf(year) : (await context.loaders.staff.historyOf(year)).map(unsuppressed);
    return history.map(({ row, withheld }) => toStaffFigures(row, context.member, withheld));
  }

  @Authorized(Access.MEMBER)
  @FieldResolver(() => [TraineeFigures], { nullable: true, description: `Every revision of a year's trainee intake, oldest first. ${MEMBERS_AND_ABOVE}` })
  async traineeRevisions(@Root() _city: CityReference, @Args() { year }: YearArgs, @Ctx() context: CityContext): Promise<TraineeFigures[]> {
    return (await context.loaders.trainees.historyOf(year)).map(toTraineeFigures);
  }

  @Authorized(Access.MEMBER)
  @FieldResolver(() => [NewHireFigures], { nullable: true, description: `Every revision of a year's new hires, oldest first. ${MEMBERS_AND_ABOVE}` })
  async newHireRevisions(@Root() _city: CityReference, @Args() { year }: YearArgs, @Ctx() context: CityContext): Promise<NewHireFigures[]> {
    return (await context.loaders.newHires.historyOf(year)).map(toNewHireFigures);
  }

  @Authorized(Access.MEMBER)
  @FieldResolver(() => [TrainingFigures], {
    nullable: true,
    description: `Every revision of a year's intercultural training, per unit, oldest first. ${MEMBERS_AND_ABOVE}`,
  })
  async trainingRevisions(@Root() _city: CityReference, @Args() { year, unit }: UnitYearArgs, @Ctx() context: CityContext): Promise<TrainingFigures[]> {
    const keep = (id: string) => unit == null || id === unit;
    const history = confidential(context)
      ? await context.loaders.withheld.trainingHistoryOf(year, keep)
      : (await context.loaders.training.historyOf(year)).filter((row) => keep(row.unitId)).map(unsuppressed);
    return toTrainingFigures(history, context.units);
  }

  @Authorized(Access.ADMIN)
  @FieldResolver(() => [AuditLogEntry], {
    nullable: true,
    description: "The city's audit log, newest first: every write and every refused write attempt (Protokoll). Administrators only.",
  })
  async auditLog(@Root() _city: CityReference, @Args() { limit, before }: AuditLogArgs, @Ctx() context: CityContext): Promise<AuditLogEntry[]> {
    return (await context.store.auditLog(limit, before)).map(toAuditLogEntry);
  }
}

/** The unit breakdown is a separate lookup per staff record, batched across all records in a request. */
@Resolver(() => StaffFigures)
export class StaffFiguresResolver {
  @FieldResolver()
  async byUnit(@Root() staff: StaffFiguresWithoutUnits, @Ctx() context: CityContext): Promise<UnitStaffFigures[] | null> {
    const rows = await context.loaders.unitBreakdown.load(staff.staffFiguresId);
    if (rows.length === 0) return null;
    if (!confidential(context)) return toUnitBreakdown(rows, context.units);
    // The pattern of this very revision, from its year's history (read once per request, computed once per process).
    const history = await context.loaders.withheld.staffHistoryOf(staff.year);
    const revision = history.find(({ row }) => row.id === staff.staffFiguresId);
    if (!revision) throw new Error(`staff revision ${staff.staffFiguresId} is not in the history of ${staff.year}`);
    return toUnitBreakdown(rows, context.units, revision.withheld);
  }
}
