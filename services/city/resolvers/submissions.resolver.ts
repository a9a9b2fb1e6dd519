import { GraphQLError } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Resolver } from 'type-graphql';
import { errorExtensions } from '../../common/error-codes';
import type { ImportReport as ImportOutcome } from '../submissions/submissions.service';
import type { CityContext } from '../context';
import type { NewHireFiguresRevision, StaffFiguresRevision, TraineeFiguresRevision, TrainingFiguresRevision } from '../entities';
import { toNewHireFigures, toStaffFigures, toTraineeFigures, toTrainingFigures } from '../figures';
import { unsuppressed } from '../figures.loaders';
import {
  CitySubmissions,
  ImportReport,
  NewHiresSubmission,
  StaffFiguresSubmission,
  TraineeIntakeSubmission,
  TrainingSubmission,
} from '../types/submission-results.type';
import { NewHiresInput, StaffFiguresInput, TraineeIntakeInput, TrainingInput } from '../types/submission.inputs';

@ArgsType()
export class ImportArgs {
  @Field({ description: 'The file content: headers in German or English; ";" with decimal commas, or "," with decimal points.' })
  csv!: string;

  @Field(() => String, { nullable: true, description: 'Reason for correction rows that give none.' })
  reason?: string | null;

  @Field(() => String, { nullable: true, description: 'Retrying an import with the same key returns the first one (its report; for startFigureImport its job) and writes nothing.' })
  idempotencyKey?: string | null;
}

const rules =
  'Only an hr token for this city may submit. A refused value gives one BAD_USER_INPUT error per field and nothing is written; every attempt is in the audit log.';

/**
 * The city's HR team submits and corrects its figures here: `mutation { municipality(id: "duisburg") { submitStaffFigures(...) } }`.
 * The hub routes the write to the service of that id; a service asked for another municipality answers NOT_FOUND.
 */
@Resolver(() => CitySubmissions)
export class SubmissionsResolver {
  @Mutation(() => CitySubmissions, {
    nullable: true,
    description:
      "A municipality's submissions: submit and correct its figures. The write goes to that municipality's own service; only its HR team may write. An unknown id gives null and a NOT_FOUND error.",
  })
  municipality(
    @Arg('id', () => ID, { description: 'The municipality id (e.g. duisburg).' }) id: string,
    @Ctx() context: CityContext,
  ): CitySubmissions {
    if (id !== context.member.id) {
      throw new GraphQLError(`No member municipality "${id}" is served here.`, { extensions: errorExtensions('NOT_FOUND', { field: 'id', city: id }) });
    }
    return {};
  }

  @FieldResolver(() => StaffFiguresSubmission, { description: `Submit or correct a year's staff figures (Personal). ${rules}` })
  async submitStaffFigures(@Arg('input', () => StaffFiguresInput, { description: 'The figures.' }) input: StaffFiguresInput, @Ctx() context: CityContext) {
    const outcome = await context.submissions.submit(context.viewer, { kind: 'staff', input }, context.writes);
    return { staff: toStaffFigures(outcome.row as StaffFiguresRevision, context.member), replayed: outcome.replayed };
  }

  @FieldResolver(() => NewHiresSubmission, { description: `Submit or correct a year's new hires (Neueinstellungen). ${rules}` })
  async submitNewHires(@Arg('input', () => NewHiresInput, { description: 'The figures.' }) input: NewHiresInput, @Ctx() context: CityContext) {
    const outcome = await context.submissions.submit(context.viewer, { kind: 'newHires', input }, context.writes);
    return { newHires: toNewHireFigures(outcome.row as NewHireFiguresRevision), replayed: outcome.replayed };
  }

  @FieldResolver(() => TraineeIntakeSubmission, { description: `Submit or correct a year's trainee intake (Auszubildende). ${rules}` })
  async submitTraineeIntake(@Arg('input', () => TraineeIntakeInput, { description: 'The figures.' }) input: TraineeIntakeInput, @Ctx() context: CityContext) {
    const outcome = await context.submissions.submit(context.viewer, { kind: 'traineeIntake', input }, context.writes);
    return { trainees: toTraineeFigures(outcome.row as TraineeFiguresRevision), replayed: outcome.replayed };
  }

  @FieldResolver(() => TrainingSubmission, { description: `Submit or correct a unit's intercultural training for a year (interkulturelle Schulung). ${rules}` })
  async submitTraining(@Arg('input', () => TrainingInput, { description: 'The figures.' }) input: TrainingInput, @Ctx() context: CityContext) {
    const outcome = await context.submissions.submit(context.viewer, { kind: 'training', input }, context.writes);
    // Only the city's own HR team submits: it sees every value.
    const [training] = toTrainingFigures([unsuppressed(outcome.row as TrainingFiguresRevision)], context.units);
    return { training: training!, replayed: outcome.replayed };
  }

  @FieldResolver(() => ImportReport, {
    deprecationReason: 'Use startFigureImport: a large file outlasts the hub\'s time limit for an answer. Kept for small files.',
    description:
      'Import a spreadsheet of figures (CSV, format in docs/submissions.md) and wait for the report: all rows or none. Refused rows do not raise errors; the report lists each with its line and column. Only an hr token for this city may import; every import is in the audit log.',
  })
  importFigures(@Args() { csv, reason, idempotencyKey }: ImportArgs, @Ctx() context: CityContext): Promise<ImportOutcome> {
    return context.submissions.importFigures(context.viewer, csv, { reason, idempotencyKey }, context.writes);
  }
}
