import { Field, InputType, Int } from 'type-graphql';
import type {
  NewHiresSubmission,
  StaffSubmission,
  TraineeIntakeSubmission,
  TrainingSubmission,
  UnitStaffSubmission,
} from '../submissions/submission';

/** Fields every submission has; not in the schema itself, only in the inputs that extend it. */
@InputType('SubmissionFieldsBase')
export class SubmissionFields {
  @Field(() => Int, { description: "Calendar year (Berichtsjahr): from the year the city joined (at the earliest 2008) to the current year." })
  year!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "The revision this submission corrects (korrigierte Revision); omit for the year's first submission. If it is no longer the latest, the submission is refused with CONFLICT.",
  })
  correctsRevision?: number | null;

  @Field(() => String, { nullable: true, description: 'Why (Begründung); required for a correction.' })
  reason?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the figures come from, e.g. "Personalstatistik 31.12.2024" (Quelle).' })
  source?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Any unique string per submission (Idempotenzschlüssel): a retry with the same key returns the first result and writes nothing.',
  })
  idempotencyKey?: string | null;
}

@InputType({ description: 'One organisational unit of a staff submission (Organisationseinheit).' })
export class UnitStaffFiguresInput implements UnitStaffSubmission {
  @Field({ description: 'Unit id, one of the city\'s `units` (e.g. jobcenter).' })
  unit!: string;

  @Field(() => Int, { description: 'Staff in the unit (Beschäftigte).' })
  headcount!: number;

  @Field(() => Int, { nullable: true, description: 'Survey respondents in the unit (Befragte).' })
  respondents?: number | null;

  @Field(() => Int, { nullable: true, description: 'Respondents with a migration history (mit Zuwanderungsgeschichte).' })
  withMigrationHistory?: number | null;
}

@InputType({ description: "A year's staff figures (Personal), optionally broken down by unit." })
export class StaffFiguresInput extends SubmissionFields implements StaffSubmission {
  @Field(() => Int, { description: 'Staff of the city administration (Beschäftigte).' })
  headcount!: number;

  @Field(() => Int, { nullable: true, description: 'Staff who answered the survey (Befragte); at most headcount.' })
  respondents?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Respondents with a migration history (mit Zuwanderungsgeschichte); at most respondents. Leave empty where not recorded.',
  })
  withMigrationHistory?: number | null;

  @Field(() => Int, { nullable: true, description: 'Staff with a foreign nationality (ausländische Staatsangehörigkeit); at most headcount.' })
  withForeignNationality?: number | null;

  @Field(() => [UnitStaffFiguresInput], { nullable: true, description: 'Breakdown by organisational unit; the units may not add up to more than the totals.' })
  units?: UnitStaffFiguresInput[] | null;
}

@InputType({ description: "A year's new hires (Neueinstellungen), trainees not included." })
export class NewHiresInput extends SubmissionFields implements NewHiresSubmission {
  @Field(() => Int, { description: 'Staff hired that year.' })
  total!: number;

  @Field(() => Int, { nullable: true, description: 'Of those, with a migration history; at most total.' })
  withMigrationHistory?: number | null;
}

@InputType({ description: "A year's trainee intake (Auszubildende)." })
export class TraineeIntakeInput extends SubmissionFields implements TraineeIntakeSubmission {
  @Field(() => Int, { description: 'Trainees who started that year.' })
  intake!: number;

  @Field(() => Int, { nullable: true, description: 'Of those, with a migration history; at most intake.' })
  withMigrationHistory?: number | null;
}

@InputType({ description: "One unit's intercultural training for a year (interkulturelle Schulung)." })
export class TrainingInput extends SubmissionFields implements TrainingSubmission {
  @Field({ description: 'Unit id, one of the city\'s `units` (e.g. jobcenter).' })
  unit!: string;

  @Field(() => Int, { description: 'Staff expected to take the training (Zielgruppe).' })
  staffInScope!: number;

  @Field(() => Int, { description: 'Staff who completed it (geschult); at most staffInScope.' })
  completed!: number;
}
