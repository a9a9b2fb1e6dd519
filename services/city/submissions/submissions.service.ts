import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { QueryFailedError, type DataSource, type EntityManager, type EntityTarget } from 'typeorm';
import { Access, denial } from '../../common/auth/access';
import type { Viewer } from '../../common/auth/viewer';
import type { Logger } from '../../common/logger';
import { localizedError } from '../../common/messages';
import { memberSinceYear, type Member } from '../../common/registry';
import {
  AuditEntry,
  IdempotencyRecord,
  NewHireFiguresRevision,
  StaffFiguresRevision,
  StaffUnitFigures,
  TraineeFiguresRevision,
  TrainingFiguresRevision,
} from '../entities';
import type { AuditOutcome } from '../entities/audit-entry.entity';
import type { RevisedFigures } from '../entities/revised-figures.entity';
import type { UnitDefinition } from '../units';
import type { AnySubmission, SubmissionKind } from './submission';
import { validateSubmission, type Problem, type ValidationRules } from './validation';

/** The forum's cooperation began in 2008: no city reports for earlier years. */
export const COOPERATION_BEGAN = 2008;

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

/** Errors a submission ends with, each with a stable code (docs/submissions.md). */
export function validationError(locale: 'de' | 'en', problems: Problem[]): GraphQLError {
  // One error per problem reaches the client (see useExpandedValidationErrors); this one carries them all.
  return localizedError(
    locale,
    { de: `${problems.length} Wert(e) abgelehnt; nichts wurde gespeichert.`, en: `${problems.length} value(s) refused; nothing was saved.` },
    { code: 'BAD_USER_INPUT', problems },
  );
}

function conflictError(locale: 'de' | 'en', latest: number, corrects: number | null | undefined, what: string): GraphQLError {
  const messages =
    corrects == null
      ? {
          de: `${what} hat schon Revision ${latest}. Eine Korrektur nennt sie in correctsRevision; nichts wurde gespeichert.`,
          en: `${what} already has revision ${latest}. A correction names it in correctsRevision; nothing was saved.`,
        }
      : {
          de: `Revision ${corrects} ist nicht mehr die neueste (${latest}) von ${what}: jemand hat inzwischen korrigiert. Nichts wurde gespeichert.`,
          en: `Revision ${corrects} is no longer the latest (${latest}) of ${what}: someone corrected it meanwhile. Nothing was saved.`,
        };
  return localizedError(locale, messages, { code: 'CONFLICT', latestRevision: latest, correctsRevision: corrects ?? null, field: 'correctsRevision' });
}

/** Stable JSON of a submission, keys sorted, without its idempotency key: what a retry must repeat exactly. */
export function fingerprint(submission: AnySubmission): string {
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
  return createHash('sha256').update(JSON.stringify(canonical(submission))).digest('hex');
}

function uniqueViolation(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' ? (driverError.constraint ?? 'unique') : undefined;
}

/**
 * Writes a city's figures: each submission a new revision, never an overwrite; all of it or nothing; every
 * attempt in the audit log. Authorisation is checked here as well as in the schema, because this is the code
 * that writes.
 */
export class SubmissionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly member: Member,
    private readonly units: ReadonlyMap<string, UnitDefinition>,
    private readonly logger: Logger,
  ) {}

  rules(): ValidationRules {
    return {
      firstYear: Math.max(COOPERATION_BEGAN, memberSinceYear(this.member)),
      lastYear: new Date().getUTCFullYear(),
      units: this.units,
      recordsMigrationHistory: this.member.records.migrationHistory,
    };
  }

  async submit(viewer: Viewer, submission: AnySubmission): Promise<SubmissionOutcome> {
    const target = this.targetOf(submission);
    const action = ACTION[submission.kind];
    const key = submission.input.idempotencyKey ?? null;

    const refusal = denial(viewer, Access.OWN_CITY_HR, this.member);
    if (refusal) {
      await this.audit(viewer, action, target, refusal.extensions.code === 'UNAUTHENTICATED' ? 'UNAUTHENTICATED' : 'FORBIDDEN', { message: refusal.message }, key);
      throw refusal;
    }
    const problems = validateSubmission(submission, this.rules());
    if (problems.length > 0) {
      await this.audit(viewer, action, target, 'REFUSED', { problems }, key);
      throw validationError(viewer.locale, problems);
    }

    const hash = fingerprint(submission);
    try {
      return await this.dataSource.transaction('READ COMMITTED', async (manager) => {
        if (key) {
          // A concurrent retry with the same key waits here until this transaction ends, then replays it.
          await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`idempotency:${viewer.subject}:${key}`]);
          const replay = await this.replay(manager, viewer, key, hash, submission.kind);
          if (replay) {
            await this.audit(viewer, action, target, 'REPLAYED', { revision: replay.row.revision }, key, manager);
            return replay;
          }
        }
        const row = await this.write(manager, viewer, submission);
        if (key) {
          await manager.save(
            manager.create(IdempotencyRecord, { actorSubject: viewer.subject, key, operation: action, payloadHash: hash, result: { kind: submission.kind, id: row.id } }),
          );
        }
        await this.audit(viewer, action, target, 'ACCEPTED', { revision: row.revision, id: row.id }, key, manager);
        return { kind: submission.kind, row, replayed: false };
      });
    } catch (error) {
      // Two corrections of the same revision at once: the database lets exactly one of them have the next number.
      const failure = uniqueViolation(error)
        ? conflictError(viewer.locale, await this.latestRevision(this.dataSource.manager, submission), submission.input.correctsRevision, this.describe(submission))
        : error;
      if (failure instanceof GraphQLError) {
        const conflict = failure.extensions.code === 'CONFLICT';
        await this.audit(viewer, action, target, conflict ? 'CONFLICT' : 'REFUSED', { message: failure.message, ...failure.extensions, messages: undefined }, key);
      }
      throw failure;
    }
  }

  /** The revision written for an earlier submission with this key, if any; a key reused for other figures is refused. */
  private async replay(manager: EntityManager, viewer: Viewer, key: string, hash: string, kind: SubmissionKind): Promise<SubmissionOutcome | undefined> {
    const record = await manager.findOneBy(IdempotencyRecord, { actorSubject: viewer.subject, key });
    if (!record) return undefined;
    if (record.payloadHash !== hash || record.operation !== ACTION[kind]) {
      throw localizedError(
        viewer.locale,
        {
          de: 'Dieser Idempotenzschlüssel gehört zu einer anderen Meldung; für neue Zahlen einen neuen Schlüssel verwenden.',
          en: 'This idempotency key belongs to a different submission; use a new key for new figures.',
        },
        { code: 'BAD_USER_INPUT', field: 'idempotencyKey' },
      );
    }
    const row = await manager.findOneByOrFail(ENTITY[kind], { id: (record.result as { id: number }).id });
    return { kind, row, replayed: true };
  }

  private async write(manager: EntityManager, viewer: Viewer, submission: AnySubmission): Promise<RevisedFigures> {
    const { input } = submission;
    const latest = await this.latestRevision(manager, submission);
    if (latest !== (input.correctsRevision ?? 0)) {
      throw conflictError(viewer.locale, latest, input.correctsRevision, this.describe(submission));
    }
    const revision = {
      year: input.year,
      revision: latest + 1,
      provenanceKind: 'SUBMITTED' as const,
      provenanceSource: input.source?.trim() || null,
      provenanceNote: null,
      submittedBy: viewer.name,
      reason: input.reason?.trim() || null,
    };
    switch (submission.kind) {
      case 'staff': {
        const { input: staff } = submission;
        const row = await manager.save(
          manager.create(StaffFiguresRevision, {
            ...revision,
            headcount: staff.headcount,
            respondents: staff.respondents ?? null,
            withMigrationHistory: staff.withMigrationHistory ?? null,
            withForeignNationality: staff.withForeignNationality ?? null,
          }),
        );
        if (staff.units?.length) {
          await manager.insert(
            StaffUnitFigures,
            staff.units.map((unit) => ({
              staffFiguresId: row.id,
              unitId: unit.unit,
              headcount: unit.headcount,
              respondents: unit.respondents ?? null,
              withMigrationHistory: unit.withMigrationHistory ?? null,
            })),
          );
        }
        return row;
      }
      case 'newHires':
        return manager.save(
          manager.create(NewHireFiguresRevision, { ...revision, total: submission.input.total, withMigrationHistory: submission.input.withMigrationHistory ?? null }),
        );
      case 'traineeIntake':
        return manager.save(
          manager.create(TraineeFiguresRevision, { ...revision, intake: submission.input.intake, withMigrationHistory: submission.input.withMigrationHistory ?? null }),
        );
      case 'training':
        return manager.save(
          manager.create(TrainingFiguresRevision, {
            ...revision,
            unitId: submission.input.unit,
            staffInScope: submission.input.staffInScope,
            completed: submission.input.completed,
          }),
        );
    }
  }

  private async latestRevision(manager: EntityManager, submission: AnySubmission): Promise<number> {
    const query = manager
      .getRepository(ENTITY[submission.kind])
      .createQueryBuilder('figures')
      .select('COALESCE(MAX(figures.revision), 0)', 'latest')
      .where('figures.year = :year', { year: submission.input.year });
    if (submission.kind === 'training') query.andWhere('figures.unitId = :unit', { unit: submission.input.unit });
    const { latest } = (await query.getRawOne<{ latest: number | string }>())!;
    return Number(latest);
  }

  private targetOf(submission: AnySubmission): Record<string, unknown> {
    return {
      kind: submission.kind,
      year: submission.input.year,
      ...(submission.kind === 'training' ? { unit: submission.input.unit } : {}),
      correctsRevision: submission.input.correctsRevision ?? null,
    };
  }

  private describe(submission: AnySubmission): string {
    const unit = submission.kind === 'training' ? ` ${submission.input.unit}` : '';
    return `${submission.kind}${unit} ${submission.input.year}`;
  }

  /** Appends to the audit log; inside the write's transaction for accepted writes, on its own for refusals. */
  async audit(
    viewer: Viewer,
    action: string,
    target: Record<string, unknown>,
    outcome: AuditOutcome,
    detail: Record<string, unknown>,
    idempotencyKey: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    try {
      await manager.save(
        manager.create(AuditEntry, {
        actorSubject: viewer.subject,
        actorName: viewer.name,
        actorRoles: [...viewer.roles].map((role) => (role === 'hr' && viewer.city ? `hr:${viewer.city}` : role)).join(',') || 'anonymous',
        action,
        target,
        outcome,
        detail,
        idempotencyKey,
        }),
      );
    } catch (error) {
      // A refusal stays a refusal even if it cannot be logged; an accepted write rolls back with its log entry.
      if (manager !== this.dataSource.manager) throw error;
      this.logger.error({ err: error, action, outcome }, 'audit log entry could not be written');
    }
  }
}
