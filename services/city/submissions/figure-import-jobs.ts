import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { Access, denial } from '../../common/auth/access';
import type { Viewer } from '../../common/auth/viewer';
import { isUniqueViolation } from '../../common/database';
import type { Logger } from '../../common/logger';
import { localizedError } from '../../common/messages';
import { validationError } from '../../common/validation-error';
import type { WriteReceipt } from '../../common/write-receipt';
import { effectiveStatus, heartbeatEvery, isFinished, progressWorthRecording, wroteNothing, type ImportJobStatus } from '../../domain/import-jobs';
import { FigureImportJobRecord } from '../entities';
import { parseFiguresCsv, type ParsedFile, type RowProblem } from '../import/figures-csv';
import type { MembershipSource } from '../membership';
import type { AuditOutcome } from '../../common/audit/audit-entry.entity';
import { AUDITED_PROBLEMS, conflictProblems, Conflicts, fingerprint, type ImportReport, type SubmissionsService } from './submissions.service';
import { validateImportOptions } from './validation';
import type { Member } from '../../common/registry';

const ACTION = 'startFigureImport';
const RUNNING: ImportJobStatus[] = ['CHECKING', 'WRITING'];
/** The longest a status read waits for a job to end (`waitMs`). */
export const JOB_WAIT_MAX_MS = 10_000;
/** How often a wait for a job that another process of the city runs looks at the table. */
const OTHER_PROCESS_POLL_MS = 100;

/** Marks a job FAILED unless it ended already: a job that committed stays SUCCEEDED, whoever finds it silent. */
async function markFailed(manager: EntityManager, id: string): Promise<void> {
  await manager.update(FigureImportJobRecord, { id, status: In(RUNNING) }, { status: 'FAILED', finishedAt: () => 'now()' });
}
/** Times the write is tried again when another write took a revision number first (the file is checked again). */
const WRITE_ATTEMPTS = 3;

/** A job as the API shows it: stored, with its status as last heard of, and whether this start found it. */
export interface FigureImportJobView extends FigureImportJobRecord {
  /** True when a start with the same idempotency key found this job instead of starting another. */
  replayed: boolean;
}

/** Told when a job's rows are committed: the cache of every gateway must forget what it read before. */
export interface CommittedImports {
  committed(jobId: string): void;
}

/**
 * Figure imports as jobs (docs/submissions.md#import): accepted at once, checked and written in the background by the
 * process that accepted them, their progress and report in the table `figure_import_job`, which every process of
 * the city reads. All rows or none: the rows are written in one transaction, which also marks the job SUCCEEDED, so a
 * job cut off by a restart has written nothing and reads FAILED (services/domain/import-jobs.ts).
 */
export class FigureImportJobs {
  /** The jobs this process runs, until they end: waited for by the deprecated importFigures and by a stop. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly submissions: SubmissionsService,
    private readonly membership: MembershipSource,
    private readonly logger: Logger,
    private readonly committedImports: CommittedImports,
    /** How long a running job may be silent before it counts as cut off (`IMPORT_JOB_SILENCE_MS`). */
    private readonly silenceMs: number,
  ) {}

  /**
   * Accepts a file for import and answers at once: the job, CHECKING. Refused at once (and audited) are a caller who
   * may not import, a bad idempotency key, and a city that is no member any more; a retry with the same key gets the
   * same job back (replayed), never a second write, and the same key with another file is refused.
   */
  async start(viewer: Viewer, csv: string, options: { reason?: string | null; idempotencyKey?: string | null }, writes: WriteReceipt): Promise<FigureImportJobView> {
    const key = options.idempotencyKey ?? null;
    // Before the file is read: a caller who may not import must not make the city parse up to 2 MiB of it.
    await this.submissions.assertMayWrite(viewer, ACTION, { characters: csv.length }, key);
    const parsed = parseFiguresCsv(csv);
    const target = { rows: parsed.rowsRead, years: [...new Set(parsed.submissions.map(({ submission }) => submission.input.year))].sort() };
    const argumentProblems = validateImportOptions(options);
    if (argumentProblems.length > 0) {
      await this.submissions.audit(viewer, ACTION, target, 'REFUSED', { problems: argumentProblems }, null);
      throw validationError(viewer.locale, argumentProblems);
    }
    const member = await this.submissions.currentMember(viewer, ACTION, target, key);
    const hash = fingerprint({ csv, reason: options.reason ?? null });

    const found = await this.dataSource.transaction(async (manager) => {
      if (key) {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`figure-import:${viewer.subject}:${key}`]);
        const found = await manager.findOneBy(FigureImportJobRecord, { actorSubject: viewer.subject, idempotencyKey: key });
        const earlier = found && (await this.asItStands(manager, found));
        if (earlier) {
          const { status } = earlier;
          if (earlier.payloadHash === hash && status !== 'FAILED') {
            await this.submissions.audit(viewer, ACTION, target, 'REPLAYED', { job: earlier.id }, key, manager);
            return { ...earlier, status, replayed: true };
          }
          if (!wroteNothing(status)) {
            throw localizedError(
              viewer.locale,
              {
                de: 'Dieser Idempotenzschlüssel gehört zu einem anderen Import; für eine neue Datei einen neuen Schlüssel verwenden.',
                en: 'This idempotency key belongs to a different import; use a new key for a new file.',
              },
              { code: 'BAD_USER_INPUT', field: 'idempotencyKey' },
            );
          }
          // A job that wrote nothing (refused, or cut off) gives its key to the new one.
          await manager.update(FigureImportJobRecord, { id: earlier.id }, { idempotencyKey: null });
        }
      }
      const job = manager.create(FigureImportJobRecord, {
        id: randomUUID(),
        actorSubject: viewer.subject,
        idempotencyKey: key,
        payloadHash: hash,
        status: 'CHECKING',
        rowsTotal: parsed.rowsRead,
        rowsChecked: 0,
        revisionsTotal: null,
        revisionsWritten: 0,
        report: null,
        finishedAt: null,
      });
      await manager.insert(FigureImportJobRecord, job);
      return { ...(await manager.findOneByOrFail(FigureImportJobRecord, { id: job.id })), replayed: false };
    }).catch(async (error: unknown) => {
      if (error instanceof Error && 'extensions' in error) {
        await this.submissions.audit(viewer, ACTION, target, 'REFUSED', { message: error.message }, key);
      }
      throw error;
    });
    if (!found.replayed) {
      const run = this.run(found, viewer, parsed, member, options.reason ?? null, target, key).finally(() => this.running.delete(found.id));
      this.running.set(found.id, run);
    }
    // A retry of a running job is followed too: the gateway that forwarded the first start may be gone.
    if (!isFinished(found.status)) writes.jobAccepted(member.id, found.id);
    return found;
  }

  /**
   * A job of this city, for its HR team; null when there is none with this id. Others get the refusal importFigures
   * gives. With `waitMs`, a running job is answered once it ended or that time passed (at most JOB_WAIT_MAX_MS): the
   * gateway that follows a job learns of its commit at once, without asking many times.
   */
  async find(viewer: Viewer, id: string, writes: WriteReceipt, waitMs = 0): Promise<FigureImportJobView | null> {
    const refusal = denial(viewer, Access.OWN_CITY_HR, this.membership.known().member);
    if (refusal) throw refusal;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    let job = await this.dataSource.manager.findOneBy(FigureImportJobRecord, { id });
    if (job && waitMs > 0 && !isFinished(job.status)) {
      await this.untilEnded(id, Math.min(waitMs, JOB_WAIT_MAX_MS));
      job = await this.dataSource.manager.findOneBy(FigureImportJobRecord, { id });
    }
    if (!job) return null;
    const current = await this.asItStands(this.dataSource.manager, job);
    if (current.status === 'SUCCEEDED') writes.jobCommitted(job.id);
    return { ...current, replayed: false };
  }

  /** Until the job ended or `waitMs` passed: at once when this process runs it, else as the table shows it. */
  private async untilEnded(id: string, waitMs: number): Promise<void> {
    const deadline = performance.now() + waitMs;
    const running = this.running.get(id);
    let timer: NodeJS.Timeout | undefined;
    if (running) {
      await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
      return;
    }
    while (performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(OTHER_PROCESS_POLL_MS, Math.max(0, deadline - performance.now()))));
      const job = await this.dataSource.manager.findOneBy(FigureImportJobRecord, { id });
      if (!job || isFinished(job.status)) return;
    }
  }

  /** Waits for a job this process runs (the deprecated importFigures answers once its job ended). */
  async settled(id: string): Promise<void> {
    await this.running.get(id);
  }

  /** Waits for every job this process runs, for a stop: a job cut off reads FAILED, with nothing written. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  /**
   * The job as last heard of, by the database's clock: one found cut off is stored FAILED (with its end), so it
   * stays so, and read again.
   */
  private async asItStands(manager: EntityManager, job: FigureImportJobRecord): Promise<FigureImportJobRecord> {
    if (isFinished(job.status)) return job;
    const [{ now }] = (await manager.query('SELECT now() AS now')) as [{ now: Date }];
    if (effectiveStatus(job, now, this.silenceMs) !== 'FAILED') return job;
    await markFailed(manager, job.id);
    return manager.findOneByOrFail(FigureImportJobRecord, { id: job.id });
  }

  /** Checks every row, then writes all of them in one transaction, or refuses the file; never throws. */
  private async run(
    job: FigureImportJobRecord,
    viewer: Viewer,
    parsed: ParsedFile,
    member: Member,
    reason: string | null,
    target: Record<string, unknown>,
    key: string | null,
  ): Promise<void> {
    const heartbeat = setInterval(() => {
      this.dataSource.manager
        .update(FigureImportJobRecord, { id: job.id, status: In(RUNNING) }, { heartbeatAt: () => 'now()' })
        .catch((error: unknown) => this.logger.warn({ err: error, job: job.id }, 'an import job could not note it is alive'));
    }, heartbeatEvery(this.silenceMs));
    heartbeat.unref();
    const refuse = async (problems: RowProblem[], outcome: AuditOutcome) => {
      problems.sort((a, b) => a.row - b.row);
      await this.submissions.audit(viewer, ACTION, target, outcome, { job: job.id, problems: problems.length, first: problems.slice(0, AUDITED_PROBLEMS) }, key);
      const report: ImportReport = { accepted: false, rowsRead: parsed.rowsRead, revisionsWritten: 0, problems, replayed: false };
      await this.dataSource.manager.update(FigureImportJobRecord, { id: job.id, status: In(RUNNING) }, { status: 'REFUSED', report, finishedAt: () => 'now()', heartbeatAt: () => 'now()' });
    };
    try {
      let checked = 0;
      const problems = await this.submissions.checkImportRows(parsed, member, reason, async (rows) => {
        if (!progressWorthRecording(checked, rows, parsed.rowsRead)) return;
        checked = rows;
        await this.dataSource.manager.update(FigureImportJobRecord, { id: job.id }, { rowsChecked: rows, heartbeatAt: () => 'now()' });
      });
      if (problems.length > 0) return await refuse(problems, 'REFUSED');

      const submissions = parsed.submissions.map(({ submission }) => submission);
      await this.dataSource.manager.update(
        FigureImportJobRecord,
        { id: job.id, status: 'CHECKING' },
        { status: 'WRITING', rowsChecked: parsed.rowsRead, revisionsTotal: submissions.length, heartbeatAt: () => 'now()' },
      );
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.write(job, viewer, submissions, parsed, target, key);
          break;
        } catch (error) {
          if (error instanceof Conflicts) return await refuse(conflictProblems(parsed, error), 'CONFLICT');
          // Another write took a revision number between the check and the insert: the latest revisions are read again.
          if (!isUniqueViolation(error) || attempt === WRITE_ATTEMPTS) throw error;
        }
      }
      this.committedImports.committed(job.id);
    } catch (error) {
      this.logger.error({ err: error, job: job.id }, 'an import job failed; nothing of it was written');
      await markFailed(this.dataSource.manager, job.id).catch((failure: unknown) => this.logger.error({ err: failure, job: job.id }, 'an import job that failed could not be marked FAILED'));
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * The one transaction of a job: every revision, the audit entry, and the job SUCCEEDED with its report. The job is
   * marked only if it still reads WRITING: one found cut off meanwhile (FAILED) rolls the transaction back.
   */
  private async write(
    job: FigureImportJobRecord,
    viewer: Viewer,
    submissions: Parameters<SubmissionsService['writeAll']>[2],
    parsed: ParsedFile,
    target: Record<string, unknown>,
    key: string | null,
  ): Promise<void> {
    let recorded = 0;
    await this.dataSource.transaction(async (manager) => {
      const ids = await this.submissions.writeAll(manager, viewer, submissions, async (written) => {
        if (!progressWorthRecording(recorded, written, submissions.length)) return;
        recorded = written;
        // Outside the transaction, so that anyone asking sees the progress before the commit.
        await this.dataSource.manager.update(FigureImportJobRecord, { id: job.id }, { revisionsWritten: written, heartbeatAt: () => 'now()' });
      });
      const report: ImportReport = { accepted: true, rowsRead: parsed.rowsRead, revisionsWritten: ids.length, problems: [], replayed: false };
      await this.submissions.audit(viewer, ACTION, target, 'ACCEPTED', { job: job.id, revisionsWritten: ids.length }, key, manager);
      const marked = await manager.update(
        FigureImportJobRecord,
        { id: job.id, status: 'WRITING' },
        { status: 'SUCCEEDED', revisionsWritten: ids.length, report, finishedAt: () => 'now()', heartbeatAt: () => 'now()' },
      );
      if (marked.affected !== 1) throw new Error(`import job ${job.id} was cut off before its commit`);
    });
  }
}
