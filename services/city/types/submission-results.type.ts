import { Directive, Field, ObjectType } from 'type-graphql';
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
 * Template of a city's submissions namespace (`mutation { duisburg { ... } }`): stamped per city as
 * `DuisburgSubmissions`, because Federation routes a mutation by the subgraph that owns its field.
 */
@ObjectType('CitySubmissionsTemplate')
export class CitySubmissions {}
