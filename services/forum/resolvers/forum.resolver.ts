import { GraphQLError } from 'graphql';
import { Arg, ArgsType, Args, Ctx, Directive, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import {
  jobcenterTraining,
  poolProgress,
  staffShare,
  traineeShare,
  type MemberFigures,
  type PooledProgress,
} from '../../domain/progress';
import { forumParity, provenanceMixOf, traineeIncrease, weightedStaffEstimate, type CityParityBasis, type ForumParityBenchmark } from '../../domain/forum-judgement';
import { judgeTarget, WEIGHTED_ESTIMATE_METHOD } from '../../domain/intervals';
import { gapPoints } from '../../domain/shares';
import type { TargetKind } from '../../common/graphql/target-kind.enum';
import { parityBasisProvenance, type Member } from '../../common/registry';
import type { ForumContext, ForumRoot, MemberView } from '../context';
import { toMemberView } from '../context';
import { Commitment } from '../types/commitment.type';
import { Forum } from '../types/forum.type';
import { Municipality } from '../types/municipality.type';
import { StaffProgress, TraineeProgress, TrainingProgress } from '../types/progress.type';
import { errorExtensions } from '../../common/error-codes';

/**
 * Everything forum-wide progress needs from the cities, in one selection: the gateway fetches it once per city
 * for all progress fields of a query. Arguments cannot flow into @requires, so it is every reported year,
 * and the resolvers pick the year. One table per city (services/common/graphql/annual-figures-table.ts), which a
 * gateway passes on as one value.
 */
export const REQUIRED_CITY_FIGURES = 'members { annualFiguresTable }';
const requiresCityFigures = `@requires(fields: "${REQUIRED_CITY_FIGURES}")`;

@ArgsType()
class ProgressYearArgs {
  @Field(() => Int, { description: 'Calendar year.' })
  year!: number;
}

@ArgsType()
class ProgressRangeArgs {
  @Field(() => Int, { nullable: true, description: 'First year (inclusive); default: the year the cooperation began.' })
  from?: number | null;

  @Field(() => Int, { nullable: true, description: 'Last year (inclusive); default: the current year.' })
  to?: number | null;
}

function requiredFigures(forum: ForumRoot): Array<MemberFigures<Member>> {
  if (!forum.requiredFigures) {
    throw new GraphQLError('Forum-wide progress needs the cities\' figures, which only the gateway can bring.', {
      extensions: errorExtensions('GATEWAY_REQUIRED'),
    });
  }
  return forum.requiredFigures;
}

function coverage(progress: PooledProgress<Member>) {
  return {
    year: progress.year,
    citiesReporting: progress.citiesReporting.map(toMemberView),
    citiesMissing: progress.missing.map(({ member }) => toMemberView(member)),
    missing: progress.missing.map(({ member, reason }) => ({ municipality: toMemberView(member), reason })),
  };
}

/** A commitment's target as progress applies it; null where the commitment is unknown. */
interface ForumTarget {
  kind: TargetKind;
  share: number | null;
}

async function forumTarget(context: ForumContext, commitmentId: string): Promise<ForumTarget | null> {
  const commitment = (await context.commitments()).find((candidate) => candidate.id === commitmentId);
  return commitment ? { kind: commitment.targetKind, share: commitment.targetShare } : null;
}

/** The share a target stands for in a year: a FIXED share as set, POPULATION_PARITY computed, none for INCREASE. */
function targetShareOf(target: ForumTarget | null, parity: () => ForumParityBenchmark | null): number | null {
  if (!target || target.kind === 'INCREASE') return null;
  return target.kind === 'POPULATION_PARITY' ? (parity()?.share ?? null) : target.share;
}

/** A full count (intake, training) has no sampling error: its interval is the share itself. */
function fullCount(share: number | null) {
  return share === null ? null : { lower: share, upper: share };
}

function parityBasisView(basis: CityParityBasis<Member>, year: number) {
  return {
    municipality: toMemberView(basis.member),
    share: basis.figure.share,
    basisYear: basis.figure.year,
    definition: basis.figure.definition,
    population: basis.population,
    provenance: parityBasisProvenance(basis, year),
  };
}

function staffProgressOf(members: Array<MemberFigures<Member>>, year: number, target: ForumTarget | null): StaffProgress {
  const progress = poolProgress(members, year, staffShare, null);
  const parity = forumParity(progress.citiesReporting, year);
  const targetShare = targetShareOf(target, () => parity);
  const estimate = weightedStaffEstimate(members, progress.citiesReporting, year);
  return {
    ...coverage(progress),
    respondents: progress.denominator,
    withMigrationHistory: progress.numerator,
    pooledShare: progress.pooledShare,
    targetShare,
    targetKind: target?.kind ?? null,
    gapPoints: gapPoints(targetShare, progress.pooledShare),
    weightedEstimate: estimate && { ...estimate, method: WEIGHTED_ESTIMATE_METHOD },
    weightedGapPoints: gapPoints(targetShare, estimate?.share),
    targetStatus: judgeTarget(estimate, targetShare),
    populationParityShare: parity?.share ?? null,
    populationParityDefinitions: parity?.definitions ?? null,
    populationParityStatus: judgeTarget(estimate, parity?.share),
    populationParityBasis: parity?.cities.map((basis) => parityBasisView(basis, year)) ?? null,
    provenanceMix: provenanceMixOf(members, progress.citiesReporting, year, 'staff'),
  };
}

function traineeProgressOf(members: Array<MemberFigures<Member>>, year: number, target: ForumTarget | null): TraineeProgress {
  const progress = poolProgress(members, year, traineeShare, null);
  const targetShare = targetShareOf(target, () => forumParity(progress.citiesReporting, year));
  const increase = traineeIncrease(members, progress.citiesReporting, year);
  return {
    ...coverage(progress),
    intake: progress.denominator,
    withMigrationHistory: progress.numerator,
    pooledShare: progress.pooledShare,
    targetKind: target?.kind ?? null,
    targetShare,
    gapPoints: gapPoints(targetShare, progress.pooledShare),
    targetStatus: judgeTarget(fullCount(progress.pooledShare), targetShare),
    increase: increase.cities.map(({ member, status, sinceYear, sinceShare, share, changePoints }) => ({
      municipality: toMemberView(member),
      status,
      sinceYear,
      sinceShare,
      share,
      changePoints,
    })),
    increaseSummary: { citiesRose: increase.rose, citiesDidNotRise: increase.didNotRise, citiesUnknown: increase.unknown },
    provenanceMix: provenanceMixOf(members, progress.citiesReporting, year, 'trainees').map(({ kind, cities, respondents }) => ({
      kind,
      cities,
      intake: respondents,
    })),
  };
}

function trainingProgressOf(members: Array<MemberFigures<Member>>, year: number, target: ForumTarget | null): TrainingProgress {
  const progress = poolProgress(members, year, jobcenterTraining, null);
  const targetShare = targetShareOf(target, () => null);
  return {
    ...coverage(progress),
    staffInScope: progress.denominator,
    completed: progress.numerator,
    completionRate: progress.pooledShare,
    targetShare,
    targetKind: target?.kind ?? null,
    gapPoints: gapPoints(targetShare, progress.pooledShare),
    targetStatus: judgeTarget(fullCount(progress.pooledShare), targetShare),
    provenanceMix: provenanceMixOf(members, progress.citiesReporting, year, 'training').map(({ kind, cities, respondents }) => ({
      kind,
      cities,
      staffInScope: respondents,
    })),
  };
}

/** Years of a series in which at least one member reported. */
function seriesYears(members: Array<MemberFigures<Member>>, from: number, to: number): number[] {
  const reported = new Set(members.flatMap(({ annual }) => (annual ?? []).map((counts) => counts.year)));
  return [...reported].filter((year) => year >= from && year <= to).sort((a, b) => a - b);
}

@Resolver(() => Forum)
export class ForumResolver {
  @Query(() => Forum, { description: 'The integration forum: members, commitments and forum-wide progress.' })
  forum(@Ctx() context: ForumContext): ForumRoot {
    return { id: context.registry.forum.id };
  }

  @Query(() => Municipality, {
    nullable: true,
    description: 'One member city by id (e.g. duisburg); an unknown id gives null and a NOT_FOUND error.',
  })
  municipality(@Arg('id', () => ID, { description: 'The city id.' }) id: string, @Ctx() context: ForumContext): MemberView {
    const member = context.registry.members.find((candidate) => candidate.id === id);
    if (!member) {
      const known = context.registry.members.map((candidate) => candidate.id);
      throw new GraphQLError(`No member city has the id "${id}". Known ids: ${known.join(', ')}.`, {
        extensions: errorExtensions('NOT_FOUND', { field: 'id', known }),
      });
    }
    return toMemberView(member);
  }

  @FieldResolver()
  name(@Ctx() context: ForumContext): string {
    return context.registry.forum.name;
  }

  @FieldResolver()
  cooperationSince(@Ctx() context: ForumContext): number {
    return context.registry.forum.cooperationSince;
  }

  @FieldResolver()
  members(@Ctx() context: ForumContext): MemberView[] {
    return context.registry.members.map(toMemberView);
  }

  @FieldResolver()
  commitments(@Ctx() context: ForumContext): Promise<Commitment[]> {
    return context.commitments();
  }

  @Directive(requiresCityFigures)
  @FieldResolver(() => StaffProgress, {
    nullable: true,
    description: 'The forum as a whole against its staff commitment in one year (pooled over the reporting cities).',
  })
  async staffProgress(@Root() forum: ForumRoot, @Args() { year }: ProgressYearArgs, @Ctx() context: ForumContext) {
    return staffProgressOf(requiredFigures(forum), year, await forumTarget(context, 'staff-share'));
  }

  @Directive(requiresCityFigures)
  @FieldResolver(() => [StaffProgress], {
    nullable: true,
    description: 'Staff progress over time: one entry per year in the range in which any member reported.',
  })
  async staffProgressSeries(@Root() forum: ForumRoot, @Args() range: ProgressRangeArgs, @Ctx() context: ForumContext) {
    const members = requiredFigures(forum);
    const target = await forumTarget(context, 'staff-share');
    return this.years(members, range, context).map((year) => staffProgressOf(members, year, target));
  }

  @Directive(requiresCityFigures)
  @FieldResolver(() => TraineeProgress, {
    nullable: true,
    description: 'The forum as a whole against its trainee commitment (Auszubildende) in one year.',
  })
  async traineeProgress(@Root() forum: ForumRoot, @Args() { year }: ProgressYearArgs, @Ctx() context: ForumContext) {
    return traineeProgressOf(requiredFigures(forum), year, await forumTarget(context, 'trainee-share'));
  }

  @Directive(requiresCityFigures)
  @FieldResolver(() => [TraineeProgress], {
    nullable: true,
    description: 'Trainee progress over time: one entry per year in the range in which any member reported.',
  })
  async traineeProgressSeries(@Root() forum: ForumRoot, @Args() range: ProgressRangeArgs, @Ctx() context: ForumContext) {
    const members = requiredFigures(forum);
    const target = await forumTarget(context, 'trainee-share');
    return this.years(members, range, context).map((year) => traineeProgressOf(members, year, target));
  }

  @Directive(requiresCityFigures)
  @FieldResolver(() => TrainingProgress, {
    nullable: true,
    description: 'The forum as a whole against its Jobcenter training commitment in one year.',
  })
  async trainingProgress(@Root() forum: ForumRoot, @Args() { year }: ProgressYearArgs, @Ctx() context: ForumContext) {
    return trainingProgressOf(requiredFigures(forum), year, await forumTarget(context, 'jobcenter-training'));
  }

  @Directive(requiresCityFigures)
  @FieldResolver(() => [TrainingProgress], {
    nullable: true,
    description: 'Jobcenter training progress over time: one entry per year in the range in which any member reported.',
  })
  async trainingProgressSeries(@Root() forum: ForumRoot, @Args() range: ProgressRangeArgs, @Ctx() context: ForumContext) {
    const members = requiredFigures(forum);
    const target = await forumTarget(context, 'jobcenter-training');
    return this.years(members, range, context).map((year) => trainingProgressOf(members, year, target));
  }

  private years(members: Array<MemberFigures<Member>>, range: ProgressRangeArgs, context: ForumContext): number[] {
    const from = range.from ?? context.registry.forum.cooperationSince;
    const to = range.to ?? new Date().getUTCFullYear();
    if (from > to) {
      throw new GraphQLError(`"from" (${from}) must not be after "to" (${to}).`, {
        extensions: errorExtensions('BAD_USER_INPUT', { field: 'from' }),
      });
    }
    return seriesYears(members, from, to);
  }
}
