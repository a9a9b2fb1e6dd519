import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { StaffFigures } from './staff-figures.type';
import { NewHireFigures, TraineeFigures } from './trainee-figures.type';
import { TrainingFigures } from './training-figures.type';

const replayedDescription = 'True when the idempotency key matched an earlier submission: its result is returned and nothing new was written.';

@Directive('@shareable')
@ObjectType({ description: 'An accepted staff submission: the revision it created (or the one a retry matched).' })
export class StaffFiguresSubmission {
  @Field(() => StaffFigures, { description: 'The figures as stored, with their revision.' })
  staff!: StaffFigures;

  @Field({ description: replayedDescription })
  replayed!: boolean;
}

@Directive('@shareable')
@ObjectType({ description: 'An accepted new-hires submission.' })
export class NewHiresSubmission {
  @Field(() => NewHireFigures, { description: 'The figures as stored, with their revision.' })
  newHires!: NewHireFigures;

  @Field({ description: replayedDescription })
  replayed!: boolean;
}

@Directive('@shareable')
@ObjectType({ description: 'An accepted trainee-intake submission.' })
export class TraineeIntakeSubmission {
  @Field(() => TraineeFigures, { description: 'The figures as stored, with their revision.' })
  trainees!: TraineeFigures;

  @Field({ description: replayedDescription })
  replayed!: boolean;
}

@Directive('@shareable')
@ObjectType({ description: 'An accepted training submission for one unit.' })
export class TrainingSubmission {
  @Field(() => TrainingFigures, { description: 'The figures as stored, with their revision.' })
  training!: TrainingFigures;

  @Field({ description: replayedDescription })
  replayed!: boolean;
}

/**
 * A municipality's submissions (`mutation { municipality(id: "duisburg") { ... } }`): the hub routes the write to that
 * municipality's own service by the `id` argument.
 */
@ObjectType('MunicipalitySubmissions', {
  description: "Submissions of a municipality's HR team (Meldungen der Personalabteilung), written to that municipality's own service.",
})
export class CitySubmissions {}

@Directive('@shareable')
@ObjectType({ description: 'A text in both languages of the hub.' })
export class LocalizedText {
  @Field({ description: 'German.' })
  de!: string;

  @Field({ description: 'English.' })
  en!: string;
}

@Directive('@shareable')
@ObjectType({ description: 'A refused row of an import, and why (abgelehnte Zeile).' })
export class ImportProblem {
  @Field(() => Int, { description: 'Line in the file (the header is line 1).' })
  row!: number;

  @Field(() => String, { nullable: true, description: 'The column, as the file names it.' })
  column!: string | null;

  @Field({ description: 'The input field the problem is about (e.g. respondents, units[1].headcount).' })
  field!: string;

  @Field({ description: 'BAD_USER_INPUT for a refused value, CONFLICT for a correction of a revision that is no longer the latest.' })
  code!: string;

  @Field(() => LocalizedText, { description: 'Why, in German and English.' })
  messages!: LocalizedText;
}

@Directive('@shareable')
@ObjectType({ description: 'The outcome of a CSV import: all rows written, or none and every refused row listed (Importbericht).' })
export class ImportReport {
  @Field({ description: 'True when every row was written; false when any row was refused, and then nothing was written.' })
  accepted!: boolean;

  @Field(() => Int, { description: 'Data rows in the file.' })
  rowsRead!: number;

  @Field(() => Int, { description: 'Revisions written (a staff row with its unit rows is one).' })
  revisionsWritten!: number;

  @Field(() => [ImportProblem], { description: 'Every refused row, in file order.' })
  problems!: ImportProblem[];

  @Field({ description: replayedDescription })
  replayed!: boolean;
}
