import { Arg, Args, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { CityContext, CityReference } from '../context';
import { JOB_WAIT_MAX_MS, type FigureImportJobView } from '../submissions/figure-import-jobs';
import { FigureImportJob } from '../types/figure-import-job.type';
import { Municipality } from '../types/municipality.type';
import { CitySubmissions } from '../types/submission-results.type';
import { ImportArgs } from './submissions.resolver';

/** The report as the API shows it: a replayed start says so in the report, too. */
function shown(job: FigureImportJobView): FigureImportJob {
  return { ...job, report: job.report && { ...job.report, replayed: job.replayed } };
}

/**
 * Figure imports as jobs (docs/submissions.md#import): `mutation { municipality(id: "duisburg") { startFigureImport(...) { id } } }`
 * answers at once; `query { municipality(id: "duisburg") { figureImportJob(id: ...) { status rowsChecked report { ... } } } }`
 * follows it.
 */
@Resolver(() => CitySubmissions)
export class StartFigureImportResolver {
  @FieldResolver(() => FigureImportJob, {
    description:
      'Start importing a spreadsheet of figures (CSV, format in docs/submissions.md) and answer at once with the job (status CHECKING): follow it with Municipality.figureImportJob. All rows or none; refused rows are listed in the job\'s report, not raised as errors. A retry with the same idempotency key returns the same job and writes nothing; a key whose job wrote nothing (REFUSED, FAILED) may be used again. Only an hr token for this city may import; every import is in the audit log.',
  })
  async startFigureImport(@Args() { csv, reason, idempotencyKey }: ImportArgs, @Ctx() context: CityContext): Promise<FigureImportJob> {
    return shown(await context.importJobs.start(context.viewer, csv, { reason, idempotencyKey }, context.writes));
  }
}

@Resolver(() => Municipality)
export class FigureImportJobResolver {
  @FieldResolver(() => FigureImportJob, {
    nullable: true,
    description:
      "A figure import of this city started with startFigureImport, by any of its HR team: its progress, and its report once it ended. Null for an unknown id. Only an hr token for this city may ask; others get FORBIDDEN (UNAUTHENTICATED without a token), as an import would.",
  })
  async figureImportJob(
    @Root() _city: CityReference,
    @Arg('id', () => ID, { description: 'The job id startFigureImport answered with.' }) id: string,
    @Arg('waitMs', () => Int, {
      nullable: true,
      description: `Answer a running job once it ended, or after this many milliseconds (at most ${JOB_WAIT_MAX_MS}); through the hub, within its time limit for an answer. Default: at once.`,
    })
    waitMs: number | null | undefined,
    @Ctx() context: CityContext,
  ): Promise<FigureImportJob | null> {
    const job = await context.importJobs.find(context.viewer, id, context.writes, Math.max(0, waitMs ?? 0));
    return job && shown(job);
  }
}
