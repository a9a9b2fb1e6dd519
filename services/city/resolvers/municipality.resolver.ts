import { GraphQLError } from 'graphql';
import { Access, seesUnsuppressedFigures } from '../../common/auth/access';
import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { ANNUAL_FIGURES_FIELD_DESCRIPTION, AnnualFigures } from '../../common/graphql/annual-figures.type';
import { projectTarget } from '../../common/domain/projection';
import { leastSure } from '../../common/domain/targets';
import { ratio } from '../../common/domain/shares';
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
import { EARLIEST_YEAR, LATEST_YEAR, type YearRange } from '../figures.loaders';
import { AuditLogArgs, UnitYearArgs, UnitYearRangeArgs, YearArgs, YearRangeArgs } from '../types/args';
import { toAuditLogEntry } from '../../common/audit/audit-log';
import { AuditLogEntry } from '../../common/graphql/audit-log-entry.type';
import { Municipality } from '../types/municipality.interface';
import { OrganisationalUnitType } from '../types/organisational-unit.type';
import { StaffFigures, StaffTarget, UnitStaffFigures } from '../types/staff-figures.type';
import { StaffProjection } from '../types/staff-projection.type';
import { NewHireFigures, TraineeFigures } from '../types/trainee-figures.type';
import { TrainingFigures } from '../types/training-figures.type';

/** Whether this reader gets small counts withheld: everyone but the city's own HR team and administrators. */
function confidential(context: CityContext): boolean {
  return !seesUnsuppressedFigures(context.viewer, context.member);
}

function yearRange(from: number | null | undefined, to: number | null | undefined): YearRange {
  const range = { from: Math.max(from ?? EARLIEST_YEAR, EARLIEST_YEAR), to: Math.min(to ?? LATEST_YEAR, LATEST_YEAR) };
  if (range.from > range.to) {
    throw new GraphQLError(`"from" (${from}) must not be after "to" (${to}).`, {
      extensions: { code: 'BAD_USER_INPUT', field: 'from' },
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
    const [row] = await context.loaders.staff.forYear(year);
    return row ? toStaffFigures(row, context.member) : null;
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
    const rows = await context.loaders.staff.forRange(yearRange(from, to));
    return rows.map((row) => toStaffFigures(row, context.member));
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
    const rows = await context.loaders.staff.forRange(yearRange(null, null));
    const series = rows.flatMap((row) => {
      const share = ratio(row.withMigrationHistory, row.respondents);
      return share === null ? [] : [{ year: row.year, share }];
    });
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
    const rows = await context.loaders.training.forYear(year);
    return toTrainingFigures(inUnitOrder(rows.filter((row) => unit == null || row.unitId === unit), context.units), context.units, confidential(context));
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
    const rows = await context.loaders.training.forRange(yearRange(from, to));
    return toTrainingFigures(inUnitOrder(rows.filter((row) => unit == null || row.unitId === unit), context.units), context.units, confidential(context));
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

  @FieldResolver(() => [AnnualFigures], {
    nullable: true,
    description: ANNUAL_FIGURES_FIELD_DESCRIPTION,
  })
  async annualFigures(@Root() _city: CityReference, @Ctx() context: CityContext): Promise<AnnualFigures[]> {
    const all = yearRange(null, null);
    const [staff, trainees, training] = await Promise.all([
      context.loaders.staff.forRange(all),
      context.loaders.trainees.forRange(all),
      context.loaders.training.forRange(all),
    ]);
    // The Jobcenter's counts are cells of the training table: withheld here exactly when they are withheld there.
    const jobcenterTraining = toTrainingFigures(training, context.units, confidential(context)).filter((row) => row.jobcenter);
    const years = [...new Set([...staff, ...trainees, ...training].map((row) => row.year))].sort((a, b) => a - b);
    return years.map((year) => {
      const staffRow = staff.find((row) => row.year === year);
      const traineeRow = trainees.find((row) => row.year === year);
      const jobcenterRows = jobcenterTraining.filter((row) => row.year === year);
      const sum = (values: Array<number | null>) =>
        values.length === 0 || values.some((value) => value === null) ? null : values.reduce<number>((a, b) => a + (b ?? 0), 0);
      return {
        year,
        staffRespondents: staffRow?.respondents ?? null,
        staffWithMigrationHistory: staffRow?.withMigrationHistory ?? null,
        traineeIntake: traineeRow?.intake ?? null,
        traineesWithMigrationHistory: traineeRow?.withMigrationHistory ?? null,
        jobcenterStaffInScope: sum(jobcenterRows.map((row) => row.staffInScope)),
        jobcenterTrainingCompleted: sum(jobcenterRows.map((row) => row.completed)),
        staffHeadcount: staffRow?.headcount ?? null,
        staffProvenance: staffRow?.provenanceKind ?? null,
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
    return (await context.loaders.staff.historyOf(year)).map((row) => toStaffFigures(row, context.member));
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
    const rows = (await context.loaders.training.historyOf(year)).filter((row) => unit == null || row.unitId === unit);
    return toTrainingFigures(rows, context.units, confidential(context));
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
    return rows.length === 0 ? null : toUnitBreakdown(rows, context.units, confidential(context));
  }
}
