import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { ProvenanceKind } from '../registry';
import { ProvenanceKindEnum } from './provenance.type';

/** Description of the city subgraph's `annualFigures` field. */
export const ANNUAL_FIGURES_FIELD_DESCRIPTION =
  "Headline counts of every reported year (Jahreswerte), from the city's own subgraph; forum-wide progress is computed from them.";

/**
 * A city's headline counts for one year, as analysts read them. Forum-wide progress requires the same figures as one
 * table per city (annual-figures-table.ts), which a gateway passes on as one value.
 */
@Directive('@shareable')
@ObjectType({
  description:
    "A city's headline counts for one reported year (Jahreswerte), as used for forum-wide progress. Null means not recorded or not reported, never zero.",
})
export class AnnualFigures {
  @Field(() => ID, {
    description:
      "The member whose figures these are (its id in the registry): the forum checks by it that each city's figures are paired with that city.",
  })
  municipalityId!: string;

  @Field(() => Int, { description: 'Calendar year (Berichtsjahr).' })
  year!: number;

  @Field(() => Int, { nullable: true, description: 'Staff who answered the survey (Befragte).' })
  staffRespondents!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Respondents with a migration history (Beschäftigte mit Zuwanderungsgeschichte).',
  })
  staffWithMigrationHistory!: number | null;

  @Field(() => Int, { nullable: true, description: 'Trainees who started that year (Auszubildende, Einstellungen).' })
  traineeIntake!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, trainees with a migration history.' })
  traineesWithMigrationHistory!: number | null;

  @Field(() => Int, { nullable: true, description: 'Jobcenter staff expected to take intercultural training.' })
  jobcenterStaffInScope!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Jobcenter staff who completed intercultural training (interkulturelle Schulung abgeschlossen).',
  })
  jobcenterTrainingCompleted!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Staff of the city administration (Beschäftigte): the weight of the city in the forum-wide headcount-weighted estimate.',
  })
  staffHeadcount!: number | null;

  @Field(() => ProvenanceKindEnum, { nullable: true, description: "Provenance of the year's staff figures; null when none are reported." })
  staffProvenance!: ProvenanceKind | null;

  @Field(() => ProvenanceKindEnum, { nullable: true, description: "Provenance of the year's trainee figures; null when none are reported." })
  traineeProvenance!: ProvenanceKind | null;

  @Field(() => ProvenanceKindEnum, {
    nullable: true,
    description:
      "Provenance of the year's Jobcenter training figures: the least sure of its Jobcenter units' (ESTIMATE before SUBMITTED before OFFICIAL); null when none are reported.",
  })
  jobcenterTrainingProvenance!: ProvenanceKind | null;
}
