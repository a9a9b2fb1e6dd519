import { Field, Float, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { Municipality } from './municipality.interface';

export const MissingReason = {
  UNAVAILABLE: 'UNAVAILABLE',
  NOT_RECORDED: 'NOT_RECORDED',
  NOT_REPORTED: 'NOT_REPORTED',
} as const;
export type MissingReason = (typeof MissingReason)[keyof typeof MissingReason];

registerEnumType(MissingReason, {
  name: 'MissingReason',
  description: "Why a member city's figures are missing from a forum-wide result.",
  valuesConfig: {
    UNAVAILABLE: { description: "The city's service did not answer; the response's errors name it (nicht erreichbar)." },
    NOT_RECORDED: { description: 'The city does not record this figure at all, e.g. Herne records only nationality (nicht erhoben).' },
    NOT_REPORTED: { description: 'The city has not reported this figure for the year (nicht gemeldet).' },
  },
});

@ObjectType({ description: 'A member city left out of a forum-wide result, and why.' })
export class MissingCity {
  @Field(() => Municipality, { description: 'The city.' })
  municipality!: Municipality;

  @Field(() => MissingReason, { description: 'Why its figures are missing.' })
  reason!: MissingReason;
}

@InterfaceType({
  description:
    'Which members of a year a forum-wide result covers (Abdeckung): every member is either reporting or missing, with a reason.',
})
export abstract class CityCoverage {
  @Field(() => Int, { description: 'Calendar year.' })
  year!: number;

  @Field(() => [Municipality], { description: "Members of that year whose figures are in the result." })
  citiesReporting!: Municipality[];

  @Field(() => [Municipality], {
    description: 'Members of that year whose figures are not; with citiesReporting, exactly the members of that year.',
  })
  citiesMissing!: Municipality[];

  @Field(() => [MissingCity], { description: 'The missing members, each with the reason.' })
  missing!: MissingCity[];
}

@ObjectType({
  implements: CityCoverage,
  description:
    'The whole forum against its staff commitment for one year: all reporting cities pooled, each weighing with its size.',
})
export class StaffProgress extends CityCoverage {
  @Field(() => Int, { nullable: true, description: 'Survey respondents over the reporting cities (Befragte).' })
  respondents!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, staff with a migration history.' })
  withMigrationHistory!: number | null;

  @Field(() => Float, { nullable: true, description: 'withMigrationHistory / respondents over the reporting cities, 0 to 1.' })
  pooledShare!: number | null;

  @Field(() => Float, { nullable: true, description: "The forum's headline staff target: 33 % (0.33)." })
  targetShare!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '(targetShare - pooledShare) x 100, rounded to 2 decimals: percentage points still missing.',
  })
  gapPoints!: number | null;
}

@ObjectType({ implements: CityCoverage, description: 'The whole forum against its trainee commitment (Auszubildende) for one year.' })
export class TraineeProgress extends CityCoverage {
  @Field(() => Int, { nullable: true, description: 'Trainee intake over the reporting cities.' })
  intake!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, trainees with a migration history.' })
  withMigrationHistory!: number | null;

  @Field(() => Float, { nullable: true, description: 'withMigrationHistory / intake over the reporting cities, 0 to 1.' })
  pooledShare!: number | null;
}

@ObjectType({
  implements: CityCoverage,
  description: 'The whole forum against its commitment to train every Jobcenter employee interculturally, for one year.',
})
export class TrainingProgress extends CityCoverage {
  @Field(() => Int, { nullable: true, description: 'Jobcenter staff in scope over the reporting cities.' })
  staffInScope!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, staff who completed intercultural training.' })
  completed!: number | null;

  @Field(() => Float, { nullable: true, description: 'completed / staffInScope, 0 to 1 (Schulungsquote).' })
  completionRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'The commitment: 100 % (1.0).' })
  targetShare!: number | null;

  @Field(() => Float, { nullable: true, description: '(targetShare - completionRate) x 100, rounded to 2 decimals.' })
  gapPoints!: number | null;
}
