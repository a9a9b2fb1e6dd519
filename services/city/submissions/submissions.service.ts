import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { DataSource, EntityManager, EntityTarget } from 'typeorm';
import { isUniqueViolation } from '../../common/database';
import { Access, denial } from '../../common/auth/access';
import type { Viewer } from '../../common/auth/viewer';
import type { Logger } from '../../common/logger';
import { localizedError } from '../../common/messages';
import { submissionYears } from '../../domain/members';
import { errorExtensions } from '../../common/error-codes';
import type { Member } from '../../common/registry';
import type { MembershipSource } from '../membership';
import {
  IdempotencyRecord,
  NewHireFiguresRevision,
  StaffFiguresRevision,
  StaffUnitFigures,
  TraineeFiguresRevision,
  TrainingFiguresRevision,
} from '../entities';
import type { AnonymousRefusals } from '../../common/audit/anonymous-refusals';
import type { AuditOutcome } from '../../common/audit/audit-entry.entity';
import { appendAudit } from '../../common/audit/audit-log';
import type { RevisedFigures } from '../entities/revised-figures.entity';
import { locateProblem, parseFiguresCsv, type ParsedFile, type RowProblem } from '../import/figures-csv';
import type { UnitDefinition } from '../units';
import type { AnySubmission, SubmissionKind } from './submission';
import { validationError } from '../../common/validation-error';
import type { WriteReceipt } from '../../common/write-receipt';
import { validateImportOptions, validateSubmission, type ValidationRules } from './validation';
import { hasErrorCode } from '../../common/error-codes';


/** Rows per INSERT statement in bulk writes: well below PostgreSQL's limit of 65,535 parameters. */
const INSERT_CHUNK = 500;
/** How many refused rows of an import the audit log keeps word for word (the count is always kept). */
export const AUDITED_PROBLEMS = 50;
/** Rows an import job checks before it gives way to other requests (and may note its progress). */
const CHECKED_BETWEEN_BREAKS = 250;

const ENTITY: Record<SubmissionKind, EntityTarget<RevisedFigures>> = {
  staff: StaffFiguresRevision,
  newHires: NewHireFiguresRevision,
  traineeIntake: TraineeFiguresRevision,
  training: TrainingFiguresRevision,
};

const ACTION: Record<SubmissionKind, string> = {
  staff: 'submitStaffFigures',
  newHires: 'submitNewHires',
  traineeIntake: 'submitTraineeIntake',
  training: 'submitTraining',
};

export interface SubmissionOutcome {
  kind: SubmissionKind;
  row: RevisedFigures;
  /** True when an idempotency key matched an earlier submission, which is returned instead of writing again. */
  replayed: boolean;
}

export interface ImportReport {
  /** True when every row was written; false when any was refused, and then nothing was written. */
  accepted: boolean;
  rowsRead: number;
  revisionsWritten: number;
  problems: RowProblem[];
  replayed: boolean;
}

/** Submissions whose `correctsRevision` is not the latest revision any more. */
export class Conflicts extends Error {
  constructor(readonly conflicts: Array<{ index: number; latest: number }>) {
    super('conflicting revisions');
  }
}

function conflictMessages(latest: number, corrects: number | null | undefined, what: string) {
  return corrects == null
    ? {
        de: `${what} hat schon Revision ${latest}. Eine Korrektur nennt sie in correctsRevision; nichts wurde gespeichert.`,
        en: `${what} already has revision ${latest}. A correction names it in correctsRevision; nothing was saved.`,
      }
    : {
        de: `Revision ${corrects} ist nicht mehr die neueste (${latest}) von ${what}: jemand hat inzwischen korrigiert. Nichts wurde gespeichert.`,
        en: `Revision ${corrects} is no longer the latest (${latest}) of ${what}: someone corrected it meanwhile. Nothing was saved.`,
      };
}

/** Stable JSON of what was submitted, keys sorted, without its idempotency key: what a retry must repeat exactly. */
export function fingerprint(payload: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key, entry]) => key !== 'idempotencyKey' && entry !== undefined)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, entry]) => [key, canonical(entry)]),
      );
    }
    return value;
  };
  return createHash('sha256').update(JSON.stringify(canonical(payload))).digest('hex');
}

function describe(submission: AnySubmission): string {
  const unit = submission.kind === 'training' ? ` ${submission.input.unit}` : '';
  return `${submission.kind}${unit} ${submission.input.year}`;
}

/** An import's corrections that lost their race: one CONFLICT problem per row, in the file's terms. */
export function conflictProblems(parsed: ParsedFile, conflicts: Conflicts): RowProblem[] {
  return conflicts.conflicts.map(({ index, latest }) => {
    const entry = parsed.submissions[index]!;
    return {
      row: entry.row,
      column: parsed.headers.correctsRevision ?? 'korrigierte Revision',
      field: 'correctsRevision',
      code: 'CONFLICT',
      messages: conflictMessages(latest, entry.submission.input.correctsRevision, describe(entry.submission)),
    };
  });
}

function chunks<Item>(items: readonly Item[], size: number): Item[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

/**
 * Writes a city's figures: each submission a new revision, never an overwrite; all of it or nothing; every
 * attempt in the audit log, or the request fails. The role is checked here, first, before any argument is looked at,
 * because this is the code that writes and the refusal must be audited. A write that reaches its commit is marked
 * on the request's `WriteReceipt`, which tells the gateway to forget what it read before.
 */
export class SubmissionsService {
  constructor(
    private readonly dataSource: DataSource,
    /** The city's membership as it stands at each write: the join date after corrections, or that it ended. */
    private readonly membership: MembershipSource,
    private readonly units: ReadonlyMap<string, UnitDefinition>,
    private readonly logger: Logger,
    private readonly anonymousRefusals: AnonymousRefusals,
  ) {}

  /** The rules a submission is checked by, for the city as it stands (its effective join date, not the one at start). */
  rules(member: Member): ValidationRules {
    return {
      ...submissionYears(member),
      units: this.units,
      recordsMigrationHistory: member.records.migrationHistory,
    };
  }

  /**
   * The city's membership for a write, after the caller may write: a city whose membership has ended answers as if it
   * were not served here (NOT_FOUND), as the hub's router does once its directory has caught up.
   */
  async currentMember(viewer: Viewer, action: string, target: Record<string, unknown>, key: string | null): Promise<Member> {
    const { member, ended } = await this.membership.forWrite();
    if (!ended) return member;
    const refusal = new GraphQLError(`"${member.id}" is no longer a member municipality; nothing was written.`, {
      extensions: errorExtensions('NOT_FOUND', { field: 'id', city: member.id }),
    });
    await this.audit(viewer, action, target, 'REFUSED', { message: refusal.message }, key);
    throw refusal;
  }

  /** One submission from the API; refusals are GraphQL errors. */
  async submit(viewer: Viewer, submission: AnySubmission, writes: WriteReceipt): Promise<SubmissionOutcome> {
    const action = ACTION[submission.kind];
    const target = {
      kind: submission.kind,
      year: submission.input.year,
      ...(submission.kind === 'training' ? { unit: submission.input.unit } : {}),
      correctsRevision: submission.input.correctsRevision ?? null,
    };
    const key = submission.input.idempotencyKey ?? null;
    await this.assertMayWrite(viewer, action, target, key);
    const member = await this.currentMember(viewer, action, target, key);
    const problems = validateSubmission(submission, this.rules(member));
    if (problems.length > 0) {
      await this.audit(viewer, action, target, 'REFUSED', { problems }, key);
      throw validationError(viewer.locale, problems);
    }

    try {
      return await this.dataSource.transaction(async (manager) => {
        const earlier = key ? await this.claimKey(manager, viewer, key, action, fingerprint(submission)) : undefined;
        if (earlier) {
          const row = await manager.findOneByOrFail(ENTITY[submission.kind], { id: (earlier as { id: number }).id });
          await this.audit(viewer, action, target, 'REPLAYED', { revision: row.revision }, key, manager);
          return { kind: submission.kind, row, replayed: true };
        }
        const [id] = await this.writeAll(manager, viewer, [submission]);
        const row = await manager.findOneByOrFail(ENTITY[submission.kind], { id });
        if (key) await this.rememberKey(manager, viewer, key, action, fingerprint(submission), { kind: submission.kind, id });
        await this.audit(viewer, action, target, 'ACCEPTED', { revision: row.revision, id }, key, manager);
        writes.committed();
        return { kind: submission.kind, row, replayed: false };
      });
    } catch (error) {
      const failure = await this.asConflict(error, viewer, [submission]);
      if (failure instanceof GraphQLError) {
        const conflict = hasErrorCode(failure, 'CONFLICT');
        await this.audit(viewer, action, target, conflict ? 'CONFLICT' : 'REFUSED', { message: (failure.extensions.messages as { en?: string } | undefined)?.en ?? failure.message, latestRevision: failure.extensions.latestRevision }, key);
      }
      throw failure;
    }
  }

  /**
   * A whole spreadsheet: every row is checked first, and only a file without a single refused row is written, in
   * one transaction. The report lists every refused row, with its line and column in the file.
   */
  async importFigures(
    viewer: Viewer,
    csv: string,
    options: { reason?: string | null; idempotencyKey?: string | null },
    writes: WriteReceipt,
  ): Promise<ImportReport> {
    const action = 'importFigures';
    const key = options.idempotencyKey ?? null;
    // Before the file is read: a caller who may not import must not make the city parse up to 2 MiB of it.
    await this.assertMayWrite(viewer, action, { characters: csv.length }, key);
    const parsed = parseFiguresCsv(csv);
    const target = { rows: parsed.rowsRead, years: [...new Set(parsed.submissions.map(({ submission }) => submission.input.year))].sort() };
    // The key is stored and locked on: one PostgreSQL cannot hold (U+0000) would fail the import instead.
    const argumentProblems = validateImportOptions(options);
    if (argumentProblems.length > 0) {
      await this.audit(viewer, action, target, 'REFUSED', { problems: argumentProblems }, null);
      throw validationError(viewer.locale, argumentProblems);
    }

    const member = await this.currentMember(viewer, action, target, key);
    const problems = await this.checkImportRows(parsed, member, options.reason ?? null);
    const refused = async (list: RowProblem[], outcome: AuditOutcome): Promise<ImportReport> => {
      list.sort((a, b) => a.row - b.row);
      await this.audit(viewer, action, target, outcome, { problems: list.length, first: list.slice(0, AUDITED_PROBLEMS) }, key);
      return { accepted: false, rowsRead: parsed.rowsRead, revisionsWritten: 0, problems: list, replayed: false };
    };
    if (problems.length > 0) return refused(problems, 'REFUSED');

    const submissions = parsed.submissions.map(({ submission }) => submission);
    const hash = fingerprint({ csv, reason: options.reason ?? null });
    try {
      return await this.dataSource.transaction(async (manager) => {
        const earlier = key ? await this.claimKey(manager, viewer, key, action, hash) : undefined;
        if (earlier) {
          await this.audit(viewer, action, target, 'REPLAYED', {}, key, manager);
          return { ...(earlier as unknown as ImportReport), replayed: true };
        }
        const ids = await this.writeAll(manager, viewer, submissions);
        const report: ImportReport = { accepted: true, rowsRead: parsed.rowsRead, revisionsWritten: ids.length, problems: [], replayed: false };
        if (key) await this.rememberKey(manager, viewer, key, action, hash, { ...report });
        await this.audit(viewer, action, target, 'ACCEPTED', { revisionsWritten: ids.length }, key, manager);
        writes.committed();
        return report;
      });
    } catch (error) {
      if (error instanceof Conflicts) return refused(conflictProblems(parsed, error), 'CONFLICT');
      if (isUniqueViolation(error)) return this.importFigures(viewer, csv, options, writes);
      // An idempotency key that belongs to another file: a refusal like any other, and logged as one.
      if (error instanceof GraphQLError) {
        await this.audit(viewer, action, target, 'REFUSED', { message: (error.extensions.messages as { en?: string } | undefined)?.en ?? error.message }, key);
      }
      throw error;
    }
  }

  /**
   * Every row of a parsed file checked against the rules as they stand for the city: the file's own problems, then
   * each submission's, where the file has them. Gives way to other requests every few hundred rows, and tells
   * `onChecked` how many rows it has checked.
   */
  async checkImportRows(parsed: ParsedFile, member: Member, reason: string | null, onChecked?: (rows: number) => Promise<void>): Promise<RowProblem[]> {
    const problems = [...parsed.problems];
    const rules = this.rules(member);
    for (const [index, entry] of parsed.submissions.entries()) {
      if (entry.submission.input.correctsRevision != null && !entry.submission.input.reason) entry.submission.input.reason = reason;
      for (const problem of validateSubmission(entry.submission, rules)) {
        problems.push({ ...locateProblem(entry, problem.field, parsed.headers), field: problem.field, code: 'BAD_USER_INPUT', messages: problem.messages });
      }
      if (onChecked && (index + 1) % CHECKED_BETWEEN_BREAKS === 0) {
        await onChecked(Math.min(entry.row - 1, parsed.rowsRead));
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await onChecked?.(parsed.rowsRead);
    return problems;
  }

  /**
   * Refuses, and audits the refusal, unless the viewer is this city's HR team. Past the bound on anonymous refusals
   * the attempt fails with `RATE_LIMITED` instead, before the database is touched (AnonymousRefusals).
   */
  async assertMayWrite(viewer: Viewer, action: string, target: Record<string, unknown>, key: string | null): Promise<void> {
    const refusal = denial(viewer, Access.OWN_CITY_HR, this.membership.known().member);
    if (!refusal) return;
    await this.anonymousRefusals.admit(viewer);
    await this.audit(viewer, action, target, hasErrorCode(refusal, 'UNAUTHENTICATED') ? 'UNAUTHENTICATED' : 'FORBIDDEN', { message: refusal.message }, key);
    throw refusal;
  }

  /** Turns a lost race for a revision number into the CONFLICT the client understands. */
  private async asConflict(error: unknown, viewer: Viewer, submissions: AnySubmission[]): Promise<unknown> {
    if (!(error instanceof Conflicts) && !isUniqueViolation(error)) return error;
    const [submission] = submissions as [AnySubmission];
    const latest = error instanceof Conflicts ? error.conflicts[0]!.latest : (await this.latestRevisions(this.dataSource.manager, submissions))[0]!;
    return localizedError(viewer.locale, conflictMessages(latest, submission.input.correctsRevision, describe(submission)), {
      code: 'CONFLICT',
      field: 'correctsRevision',
      latestRevision: latest,
      correctsRevision: submission.input.correctsRevision ?? null,
    });
  }

  /**
   * Takes the idempotency key for this transaction (a concurrent retry waits for it) and returns the result of an
   * earlier submission with it, if there is one. The same key with other content is refused.
   */
  private async claimKey(manager: EntityManager, viewer: Viewer, key: string, action: string, hash: string): Promise<Record<string, unknown> | undefined> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`idempotency:${viewer.subject}:${key}`]);
    const record = await manager.findOneBy(IdempotencyRecord, { actorSubject: viewer.subject, key });
    if (!record) return undefined;
    if (record.payloadHash !== hash || record.operation !== action) {
      throw localizedError(
        viewer.locale,
        {
          de: 'Dieser Idempotenzschlüssel gehört zu einer anderen Meldung; für neue Zahlen einen neuen Schlüssel verwenden.',
          en: 'This idempotency key belongs to a different submission; use a new key for new figures.',
        },
        { code: 'BAD_USER_INPUT', field: 'idempotencyKey' },
      );
    }
    return record.result;
  }

  private async rememberKey(manager: EntityManager, viewer: Viewer, key: string, action: string, hash: string, result: Record<string, unknown>): Promise<void> {
    await manager.insert(IdempotencyRecord, { actorSubject: viewer.subject, key, operation: action, payloadHash: hash, result: result as never });
  }

  /** The latest revision number of each submission's year (and unit); 0 where there is none. One query per kind. */
  private async latestRevisions(manager: EntityManager, submissions: readonly AnySubmission[]): Promise<number[]> {
    const latest = new Map<string, number>();
    const keyOf = (kind: SubmissionKind, year: number, unit: string | null) => `${kind}:${year}:${unit ?? ''}`;
    for (const kind of new Set(submissions.map((submission) => submission.kind))) {
      const years = [...new Set(submissions.filter((submission) => submission.kind === kind).map((submission) => submission.input.year))];
      const query = manager
        .getRepository(ENTITY[kind])
        .createQueryBuilder('figures')
        .select('figures.year', 'year')
        .addSelect('MAX(figures.revision)', 'latest')
        .where('figures.year = ANY(:years)', { years })
        .groupBy('figures.year');
      if (kind === 'training') query.addSelect('figures.unitId', 'unit').addGroupBy('figures.unitId');
      for (const row of await query.getRawMany<{ year: number; latest: number | string; unit?: string }>()) {
        latest.set(keyOf(kind, Number(row.year), row.unit ?? null), Number(row.latest));
      }
    }
    return submissions.map((submission) =>
      latest.get(keyOf(submission.kind, submission.input.year, submission.kind === 'training' ? submission.input.unit : null)) ?? 0,
    );
  }

  /**
   * Writes each submission as the next revision, in bulk: a few statements per kind, however many rows. Throws
   * `Conflicts` when any submission does not correct the latest revision; the caller's transaction then rolls back.
   */
  async writeAll(manager: EntityManager, viewer: Viewer, submissions: readonly AnySubmission[], onWritten?: (revisions: number) => Promise<void>): Promise<number[]> {
    const latest = await this.latestRevisions(manager, submissions);
    const conflicts = submissions.flatMap((submission, index) =>
      latest[index] === (submission.input.correctsRevision ?? 0) ? [] : [{ index, latest: latest[index]! }],
    );
    if (conflicts.length > 0) throw new Conflicts(conflicts);

    const ids: number[] = new Array(submissions.length);
    let written = 0;
    const byKind = new Map<SubmissionKind, number[]>();
    submissions.forEach((submission, index) => byKind.set(submission.kind, [...(byKind.get(submission.kind) ?? []), index]));
    for (const [kind, indexes] of byKind) {
      for (const chunk of chunks(indexes, INSERT_CHUNK)) {
        const values = chunk.map((index) => this.values(viewer, submissions[index]!, latest[index]! + 1));
        const result = await manager.createQueryBuilder().insert().into(ENTITY[kind]).values(values).returning(['id']).execute();
        (result.raw as Array<{ id: number }>).forEach((row, position) => (ids[chunk[position]!] = row.id));
        written += chunk.length;
        await onWritten?.(written);
      }
    }
    const unitRows = submissions.flatMap((submission, index) =>
      submission.kind === 'staff'
        ? (submission.input.units ?? []).map((unit) => ({
            staffFiguresId: ids[index]!,
            unitId: unit.unit,
            headcount: unit.headcount,
            respondents: unit.respondents ?? null,
            withMigrationHistory: unit.withMigrationHistory ?? null,
          }))
        : [],
    );
    for (const chunk of chunks(unitRows, INSERT_CHUNK)) await manager.insert(StaffUnitFigures, chunk);
    return ids;
  }

  private values(viewer: Viewer, submission: AnySubmission, revision: number): Record<string, unknown> {
    const { input } = submission;
    const common = {
      year: input.year,
      revision,
      provenanceKind: 'SUBMITTED',
      provenanceSource: input.source?.trim() || null,
      provenanceNote: null,
      submittedBy: viewer.name,
      reason: input.reason?.trim() || null,
    };
    switch (submission.kind) {
      case 'staff':
        return {
          ...common,
          headcount: submission.input.headcount,
          respondents: submission.input.respondents ?? null,
          withMigrationHistory: submission.input.withMigrationHistory ?? null,
          withForeignNationality: submission.input.withForeignNationality ?? null,
        };
      case 'newHires':
        return { ...common, total: submission.input.total, withMigrationHistory: submission.input.withMigrationHistory ?? null };
      case 'traineeIntake':
        return { ...common, intake: submission.input.intake, withMigrationHistory: submission.input.withMigrationHistory ?? null };
      case 'training':
        return { ...common, unitId: submission.input.unit, staffInScope: submission.input.staffInScope, completed: submission.input.completed };
    }
  }

  /** Appends to the audit log: inside the write's transaction for writes, on its own for refusals. */
  audit(
    viewer: Viewer,
    action: string,
    target: Record<string, unknown>,
    outcome: AuditOutcome,
    detail: Record<string, unknown>,
    idempotencyKey: string | null,
    manager?: EntityManager,
  ): Promise<void> {
    return appendAudit(manager ?? this.dataSource.manager, viewer, { action, target, outcome, detail, idempotencyKey }, this.logger);
  }
}
