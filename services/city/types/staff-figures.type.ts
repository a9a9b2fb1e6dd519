import { Authorized, Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { Access } from '../../common/auth/access';
import { Provenance } from '../../common/graphql/provenance.type';
import { TargetKind } from '../../common/graphql/target-kind.enum';
import { Revision } from './revision.type';
import { SuppressedValue } from './suppressed-value.type';

@Directive('@shareable')
@ObjectType({ description: "The share of a city's staff with a migration history that it aims for (Zielquote)." })
export class StaffTarget {
  @Field(() => TargetKind, { description: 'A stated share (FIXED) or the population share (POPULATION_PARITY).' })
  kind!: TargetKind;

  @Field(() => Float, { description: 'Target share, 0 to 1.' })
  share!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'For POPULATION_PARITY: the year of the population figure the share is taken from, the latest not after the reporting year (else the earliest, and the target is an ESTIMATE).',
  })
  basisYear!: number | null;

  @Field(() => Provenance, {
    description:
      'Where the target comes from. A parity target is an ESTIMATE when its population share is one, or when the share is from after the reporting year (no earlier figure exists); its note then says so.',
  })
  provenance!: Provenance;
}

@Directive('@shareable')
@ObjectType({ description: 'Staff figures of one organisational unit (Organisationseinheit) for a year.' })
export class UnitStaffFigures {
  @Field({ description: 'Unit id, as in `units` (e.g. jobcenter).' })
  unit!: string;

  @Field({ description: 'Unit name in German (Bezeichnung).' })
  unitName!: string;

  @Field(() => Int, { nullable: true, description: 'Staff in the unit (Beschäftigte).' })
  headcount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Survey respondents in the unit (Befragte).' })
  respondents!: number | null;

  @Field(() => Int, { nullable: true, description: 'Respondents with a migration history (mit Zuwanderungsgeschichte).' })
  withMigrationHistory!: number | null;

  @Field(() => Float, { nullable: true, description: 'withMigrationHistory / respondents; null when either is withheld.' })
  share!: number | null;

  @Field(() => [SuppressedValue], { description: 'Values withheld for statistical confidentiality (Geheimhaltung); empty when nothing is.' })
  suppressed!: SuppressedValue[];
}

@Directive('@shareable')
@ObjectType({
  description:
    "A city's staff for one year (Personal): headcount, the staff survey, and the share with a migration history (Zuwanderungsgeschichte). Null means not recorded, or withheld (named in `suppressed`), never zero.",
})
export class StaffFigures {
  @Field(() => Int, { description: 'Calendar year (Berichtsjahr).' })
  year!: number;

  @Field(() => Int, { nullable: true, description: 'Staff of the city administration (Beschäftigte, Köpfe).' })
  headcount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Staff who answered the voluntary survey (Befragte).' })
  respondents!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Respondents with a migration history (mit Zuwanderungsgeschichte). Null where the city does not record it.',
  })
  withMigrationHistory!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Staff with a foreign nationality (ausländische Staatsangehörigkeit), from personnel records.',
  })
  withForeignNationality!: number | null;

  @Field(() => Float, { nullable: true, description: 'withMigrationHistory / respondents (Anteil), 0 to 1; null when either is withheld.' })
  share!: number | null;

  @Field(() => Float, { nullable: true, description: 'respondents / headcount (Rücklaufquote), 0 to 1; null when either is withheld.' })
  responseRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'withForeignNationality / headcount, 0 to 1; null when the headcount is withheld.' })
  foreignNationalityShare!: number | null;

  @Field(() => StaffTarget, { nullable: true, description: "The city's own staff target for this year." })
  target!: StaffTarget | null;

  @Field(() => Float, {
    nullable: true,
    description: '(target share - share) x 100, rounded to 2 decimals: percentage points still missing (negative: above target).',
  })
  gapPoints!: number | null;

  @Authorized(Access.MEMBER)
  @Field(() => [UnitStaffFigures], {
    nullable: true,
    description:
      "Breakdown by organisational unit, where the city submitted one. Forum members and above. Counts that could reveal a small number of people are withheld (null, named in `suppressed`), together with enough others that none can be worked out from what is shown (docs/security.md); the city's own HR team and administrators see every count.",
  })
  byUnit!: UnitStaffFigures[] | null;

  @Field(() => [SuppressedValue], {
    description:
      "City totals withheld for statistical confidentiality (Geheimhaltung), where a total, or a count of the breakdown by unit, could otherwise be worked out; empty when none is. The city's own HR team and administrators see every value.",
  })
  suppressed!: SuppressedValue[];

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;

  @Authorized(Access.MEMBER)
  @Field(() => Revision, { description: 'The revision shown: the latest submitted for this year. Forum members and above.' })
  revision!: Revision;
}
