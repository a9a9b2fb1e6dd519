import { Field, Float, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import type { IncreaseStatus as DomainIncreaseStatus } from '../../domain/targets';
import { PopulationDefinition } from '../../common/graphql/population-definition.enum';
import { Provenance, ProvenanceKindEnum } from '../../common/graphql/provenance.type';
import { TargetKind } from '../../common/graphql/target-kind.enum';
import { TargetStatus } from '../../common/graphql/target-status.enum';
import type { ProvenanceKind } from '../../common/registry';
import { Municipality } from './municipality.type';

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

@ObjectType({
  description:
    'The forum-wide share of staff with a migration history estimated from the reporting cities\' surveys, each city weighted by its headcount (a stratified estimate), with its 95 % interval (docs/methods.md, "Pooling and the weighted estimate").',
})
export class WeightedEstimate {
  @Field(() => Float, { description: 'Sum of headcount x share / sum of headcount over the reporting cities that report both, 0 to 1.' })
  share!: number;

  @Field(() => Float, { description: 'Lower bound of the 95 % interval, 0 to 1; at most the share.' })
  lower!: number;

  @Field(() => Float, { description: 'Upper bound of the 95 % interval, 0 to 1; at least the share.' })
  upper!: number;

  @Field(() => Float, { description: 'Confidence level: 0.95.' })
  level!: number;

  @Field({ description: "How the cities' finite-population-corrected variances were combined, in words." })
  method!: string;

  @Field(() => Float, {
    description: 'The effective sample size the Wilson interval was computed at: share x (1 - share) / variance, at most the respondents.',
  })
  effectiveSampleSize!: number;

  @Field(() => Int, { description: 'Staff of the cities in the estimate (the sum of their headcounts).' })
  headcount!: number;

  @Field(() => Int, { description: 'How many cities are in the estimate: those in citiesReporting that report a headcount.' })
  cities!: number;
}

@ObjectType({ description: 'What a forum-wide staff figure is made of: the reporting cities whose staff figures are of one provenance kind.' })
export class StaffProvenanceMix {
  @Field(() => ProvenanceKindEnum, { description: "The provenance kind of these cities' staff figures of the year." })
  kind!: ProvenanceKind;

  @Field(() => Int, { description: 'How many of the reporting cities; over all entries, the number of citiesReporting.' })
  cities!: number;

  @Field(() => Int, { description: 'Their survey respondents (Befragte); over all entries, StaffProgress.respondents.' })
  respondents!: number;
}

@ObjectType({ description: 'What a forum-wide trainee figure is made of: the reporting cities whose trainee figures are of one provenance kind.' })
export class TraineeProvenanceMix {
  @Field(() => ProvenanceKindEnum, { description: "The provenance kind of these cities' trainee figures of the year." })
  kind!: ProvenanceKind;

  @Field(() => Int, { description: 'How many of the reporting cities; over all entries, the number of citiesReporting.' })
  cities!: number;

  @Field(() => Int, { description: 'Their trainee intake (Auszubildende, Einstellungen); over all entries, TraineeProgress.intake.' })
  intake!: number;
}

@ObjectType({
  description: 'What a forum-wide Jobcenter training figure is made of: the reporting cities whose training figures are of one provenance kind.',
})
export class TrainingProvenanceMix {
  @Field(() => ProvenanceKindEnum, {
    description: "The provenance kind of these cities' Jobcenter training figures of the year (for several Jobcenter units, the least sure of theirs).",
  })
  kind!: ProvenanceKind;

  @Field(() => Int, { description: 'How many of the reporting cities; over all entries, the number of citiesReporting.' })
  cities!: number;

  @Field(() => Int, { description: 'Their Jobcenter staff in scope; over all entries, TrainingProgress.staffInScope.' })
  staffInScope!: number;
}

@ObjectType({ description: "One reporting city's part in the forum-wide parity benchmark of a year (Paritätsbasis)." })
export class CityParityBasis {
  @Field(() => Municipality, { description: 'The city.' })
  municipality!: Municipality;

  @Field(() => Float, { description: "The city's population share with a migration history used for the year, 0 to 1." })
  share!: number;

  @Field(() => Int, { description: 'Year of that share: the latest not after the reporting year, else the earliest.' })
  basisYear!: number;

  @Field(() => PopulationDefinition, { description: 'Which group the share counts.' })
  definition!: PopulationDefinition;

  @Field(() => Int, { description: 'The population the city weighs with: its count for the year, by the same rule.' })
  population!: number;

  @Field(() => Provenance, {
    description: 'Where the share comes from; ESTIMATE when it is an estimate or stands in for an earlier year than its own.',
  })
  provenance!: Provenance;
}

export const IncreaseStatus = {
  ROSE: 'ROSE',
  DID_NOT_RISE: 'DID_NOT_RISE',
  UNKNOWN: 'UNKNOWN',
} as const satisfies Record<DomainIncreaseStatus, DomainIncreaseStatus>;
export type IncreaseStatus = (typeof IncreaseStatus)[keyof typeof IncreaseStatus];

registerEnumType(IncreaseStatus, {
  name: 'IncreaseStatus',
  description: 'A commitment to "more" (INCREASE) judged for one city: did the share rise since its first reported year as a member?',
  valuesConfig: {
    ROSE: { description: 'The share of the year is higher than in the baseline year (gestiegen).' },
    DID_NOT_RISE: { description: 'The share of the year is the same as or lower than in the baseline year (nicht gestiegen).' },
    UNKNOWN: { description: 'No share of the year, no baseline, or the year is the baseline year itself (nicht beurteilbar).' },
  },
});

@ObjectType({
  description:
    "One city's trainee share against its own baseline: the first year it reported as a member. A full count of the intake, not a survey, so no interval.",
})
export class CityIncrease {
  @Field(() => Municipality, { description: 'The city.' })
  municipality!: Municipality;

  @Field(() => Int, { nullable: true, description: "The baseline: the city's first reported year as a member; null when it has none." })
  sinceYear!: number | null;

  @Field(() => Float, { nullable: true, description: 'The trainee share in the baseline year, 0 to 1.' })
  sinceShare!: number | null;

  @Field(() => Float, { nullable: true, description: 'The trainee share in the year asked, 0 to 1.' })
  share!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '(share - sinceShare) x 100, rounded to 2 decimals: percentage points gained since the baseline (negative: lost).',
  })
  changePoints!: number | null;

  @Field(() => IncreaseStatus, { description: 'Whether the share rose since the baseline.' })
  status!: IncreaseStatus;
}

@ObjectType({
  description:
    'The trainee commitment "more trainees" judged forum-wide: how many reporting cities rose since their own baseline. The baselines lie in different years, so no forum-wide baseline share is formed.',
})
export class IncreaseSummary {
  @Field(() => Int, { description: 'Reporting cities whose trainee share rose since their baseline.' })
  citiesRose!: number;

  @Field(() => Int, { description: 'Reporting cities whose trainee share did not rise.' })
  citiesDidNotRise!: number;

  @Field(() => Int, { description: 'Reporting cities that cannot be judged (e.g. the year is their baseline year).' })
  citiesUnknown!: number;
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
    "The whole forum against its staff commitment for one year: the reporting cities' respondents pooled (pooledShare), and the headcount-weighted estimate with its interval, which is the figure judged against the target (docs/methods.md).",
})
export class StaffProgress extends CityCoverage {
  @Field(() => Int, { nullable: true, description: 'Survey respondents over the reporting cities (Befragte).' })
  respondents!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, staff with a migration history.' })
  withMigrationHistory!: number | null;

  @Field(() => Float, { nullable: true, description: 'withMigrationHistory / respondents over the reporting cities, 0 to 1.' })
  pooledShare!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "The forum's staff target (commitment staff-share): the fixed headline of 33 % of staff in municipal institutions (0.33), not parity with the population, which populationParityShare gives beside it. Should an administrator set the commitment to POPULATION_PARITY, it is the year's populationParityShare.",
  })
  targetShare!: number | null;

  @Field(() => TargetKind, { nullable: true, description: 'How the staff commitment sets its target: FIXED as adopted.' })
  targetKind!: TargetKind | null;

  @Field(() => Float, {
    nullable: true,
    description: '(targetShare - pooledShare) x 100, rounded to 2 decimals: percentage points still missing.',
  })
  gapPoints!: number | null;

  @Field(() => WeightedEstimate, {
    nullable: true,
    description:
      'The headcount-weighted estimate with its 95 % interval: the figure that is judged (targetStatus). Where response rates differ it differs from pooledShare, in which a city with a high response rate weighs more than its staff do.',
  })
  weightedEstimate!: WeightedEstimate | null;

  @Field(() => Float, {
    nullable: true,
    description: '(targetShare - weightedEstimate.share) x 100, rounded to 2 decimals: the gap of the judged figure.',
  })
  weightedGapPoints!: number | null;

  @Field(() => TargetStatus, { description: 'weightedEstimate judged against targetShare with its interval (MET, UNCERTAIN, NOT_MET, UNKNOWN).' })
  targetStatus!: TargetStatus;

  @Field(() => Float, {
    nullable: true,
    description:
      "The forum-wide parity benchmark beside the 33 % headline: the population shares with a migration history of the cities in citiesReporting, weighted by their population (each city's figure for the year: the latest not after it, else the earliest).",
  })
  populationParityShare!: number | null;

  @Field(() => [PopulationDefinition], {
    nullable: true,
    description:
      'The definitions populationParityShare mixes; more than one means it adds up shares of unlike groups (Migrationshintergrund and Einwanderungsgeschichte).',
  })
  populationParityDefinitions!: PopulationDefinition[] | null;

  @Field(() => TargetStatus, { description: 'weightedEstimate judged against populationParityShare with its interval.' })
  populationParityStatus!: TargetStatus;

  @Field(() => [CityParityBasis], { nullable: true, description: 'What populationParityShare is made of: each reporting city\'s share, year, definition and weight.' })
  populationParityBasis!: CityParityBasis[] | null;

  @Field(() => [StaffProvenanceMix], {
    description:
      "How many of citiesReporting, and how many of their respondents, have staff figures that are OFFICIAL, SUBMITTED or ESTIMATE: one entry per kind present, in that order.",
  })
  provenanceMix!: StaffProvenanceMix[];
}

@ObjectType({ implements: CityCoverage, description: 'The whole forum against its trainee commitment (Auszubildende) for one year.' })
export class TraineeProgress extends CityCoverage {
  @Field(() => Int, { nullable: true, description: 'Trainee intake over the reporting cities.' })
  intake!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, trainees with a migration history.' })
  withMigrationHistory!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'withMigrationHistory / intake over the reporting cities, 0 to 1: a full count of the intake, not a survey, so it has no interval.',
  })
  pooledShare!: number | null;

  @Field(() => TargetKind, {
    nullable: true,
    description: 'How the trainee commitment sets its target: INCREASE as adopted ("more trainees"), or FIXED when an administrator set a share.',
  })
  targetKind!: TargetKind | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "The trainee target share: the share an administrator set (FIXED), or for POPULATION_PARITY the reporting cities' population-weighted parity share; null for INCREASE.",
  })
  targetShare!: number | null;

  @Field(() => Float, { nullable: true, description: '(targetShare - pooledShare) x 100, rounded to 2 decimals; null without a target share.' })
  gapPoints!: number | null;

  @Field(() => TargetStatus, {
    description:
      'pooledShare judged against targetShare. The intake is counted in full, so the share has no sampling uncertainty: MET or NOT_MET, UNKNOWN without a target share (INCREASE: see increaseSummary).',
  })
  targetStatus!: TargetStatus;

  @Field(() => [CityIncrease], {
    description:
      'Each reporting city judged by the INCREASE rule: did its trainee share rise since its first reported year as a member? The judgement of the commitment when targetKind is INCREASE; shown whatever the kind.',
  })
  increase!: CityIncrease[];

  @Field(() => IncreaseSummary, { description: 'The forum-wide judgement of "more trainees": how many reporting cities rose, did not, or cannot be judged.' })
  increaseSummary!: IncreaseSummary;

  @Field(() => [TraineeProvenanceMix], {
    description:
      'How many of citiesReporting, and how many trainees of their intake, have trainee figures that are OFFICIAL, SUBMITTED or ESTIMATE: one entry per kind present, in that order.',
  })
  provenanceMix!: TraineeProvenanceMix[];
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

  @Field(() => TargetKind, { nullable: true, description: 'How the training commitment sets its target: FIXED (100 %) as adopted.' })
  targetKind!: TargetKind | null;

  @Field(() => TargetStatus, {
    description: 'completionRate judged against targetShare. A full count, not a survey: MET or NOT_MET, UNKNOWN without a target share.',
  })
  targetStatus!: TargetStatus;

  @Field(() => [TrainingProvenanceMix], {
    description:
      'How many of citiesReporting, and how many of their Jobcenter staff in scope, have training figures that are OFFICIAL, SUBMITTED or ESTIMATE: one entry per kind present, in that order.',
  })
  provenanceMix!: TrainingProvenanceMix[];
}
