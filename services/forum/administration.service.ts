import { GraphQLError } from 'graphql';
import type { DataSource, EntityManager } from 'typeorm';
import type { AnonymousRefusals } from '../common/audit/anonymous-refusals';
import type { AuditOutcome } from '../common/audit/audit-entry.entity';
import { appendAudit, type AuditRecord } from '../common/audit/audit-log';
import { Access, denial } from '../common/auth/access';
import { isUniqueViolation } from '../common/database';
import type { SigningKey } from '../common/auth/keys';
import { issueLocalToken } from '../common/auth/user-tokens';
import { isRole, type Viewer } from '../common/auth/viewer';
import type { Logger } from '../common/logger';
import { localizedError, type Messages } from '../common/messages';
import type { Member, Registry } from '../common/registry';
import { COOPERATION_BEGAN } from '../domain/cooperation';
import { validationError, type Problem } from '../common/validation-error';
import type { WriteReceipt } from '../common/write-receipt';
import { CommitmentsStore } from './commitments.store';
import { CommitmentTargetRevision } from './entities/commitment-target.entity';
import { MembershipRevision } from './entities/membership-revision.entity';
import type { MembershipStore } from './membership.store';
import type { CommitmentTargetInput, IssuedToken, MembershipInput, TokenRequest } from './types/administration.type';
import type { Commitment } from './types/commitment.type';
import { hasErrorCode } from '../common/error-codes';

const TOKEN_LIFETIME = /^(\d{1,6})([smhdw])$/;
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const MAX_TOKEN_SECONDS = 366 * 86_400;

/** What the issuer of tokens needs; absent where an identity provider issues them. */
export interface LocalIssuer {
  key: SigningKey;
  audience: string;
}

/**
 * The forum's administration: commitment targets (revisioned, never overwritten) and tokens (on the embedded
 * default only). Administrators only, checked here where it is written and before any argument is looked at; every
 * attempt is in the audit log, or the request fails. What is accepted is marked on the request's `WriteReceipt`.
 */
export class ForumAdministrationService {
  private readonly commitments: CommitmentsStore;

  constructor(
    private readonly dataSource: DataSource,
    /** The registry as now read from its file (the forum follows it while it runs). */
    private readonly registry: () => Registry,
    private readonly membership: MembershipStore,
    private readonly issuer: LocalIssuer | null,
    private readonly logger: Logger,
    private readonly anonymousRefusals: AnonymousRefusals,
  ) {
    this.commitments = new CommitmentsStore(dataSource);
  }

  async setCommitmentTarget(viewer: Viewer, input: CommitmentTargetInput, writes: WriteReceipt): Promise<Commitment> {
    return this.writeRevision(viewer, writes, {
      record: { action: 'setCommitmentTarget', target: { commitmentId: input.commitmentId, correctsRevision: input.correctsRevision } },
      correctsRevision: input.correctsRevision,
      problems: () => this.targetProblems(input),
      currentRevision: async (manager) => {
        const [latest] = await manager.getRepository(CommitmentTargetRevision).find({ where: { commitmentId: input.commitmentId }, order: { revision: 'DESC' }, take: 1 });
        return latest?.revision ?? 0;
      },
      insert: async (manager, revision) => {
        const targetShare = input.targetShare ?? null;
        await manager.insert(CommitmentTargetRevision, {
          commitmentId: input.commitmentId,
          revision,
          targetKind: input.targetKind,
          targetShare,
          submittedBy: viewer.name,
          reason: input.reason.trim(),
        });
        return { targetKind: input.targetKind, targetShare };
      },
      result: async (manager) => (await this.commitments.all(manager)).find((commitment) => commitment.id === input.commitmentId)!,
    });
  }

  /**
   * Corrects a member's membership facts (e.g. an estimated join date once the records are found). The registry file
   * stays the deployed default (revision 0); corrections are revisions on top, which the forum serves from then on.
   */
  async setMembership(viewer: Viewer, input: MembershipInput, writes: WriteReceipt): Promise<Member> {
    return this.writeRevision(viewer, writes, {
      record: { action: 'setMembership', target: { memberId: input.memberId, correctsRevision: input.correctsRevision } },
      correctsRevision: input.correctsRevision,
      problems: async () => this.membershipProblems(input),
      currentRevision: async (manager) => (await this.membership.latest(manager)).get(input.memberId)?.revision ?? 0,
      insert: async (manager, revision) => {
        const source = input.source?.trim() || null;
        await manager.insert(MembershipRevision, {
          memberId: input.memberId,
          revision,
          since: input.since,
          precision: input.precision,
          provenanceKind: source ? 'OFFICIAL' : 'ESTIMATE',
          source,
          note: input.note?.trim() || null,
          submittedBy: viewer.name,
          reason: input.reason.trim(),
        });
        return { since: input.since, precision: input.precision };
      },
      result: async (manager) => (await this.membership.effective(this.registry(), manager)).members.find((member) => member.id === input.memberId)!,
    });
  }

  /**
   * The one way the forum changes what it holds: administrators only, every value checked, a new revision on top of
   * the one named (`CONFLICT` if another came first), and the audit log told either way.
   */
  private async writeRevision<Result>(
    viewer: Viewer,
    writes: WriteReceipt,
    change: {
      record: Omit<AuditRecord, 'outcome' | 'detail'>;
      correctsRevision: number;
      problems: () => Promise<Problem[]>;
      currentRevision: (manager: EntityManager) => Promise<number>;
      insert: (manager: EntityManager, revision: number) => Promise<Record<string, unknown>>;
      result: (manager: EntityManager) => Promise<Result>;
    },
  ): Promise<Result> {
    const { record, correctsRevision } = change;
    await this.assertAdmin(viewer, record);
    const problems = await change.problems();
    if (problems.length > 0) {
      await this.audit(viewer, { ...record, outcome: 'REFUSED', detail: { problems } });
      throw validationError(viewer.locale, problems);
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const current = await change.currentRevision(manager);
        if (current !== correctsRevision) throw this.conflict(viewer, current, correctsRevision);
        const detail = await change.insert(manager, current + 1);
        await appendAudit(manager, viewer, { ...record, outcome: 'ACCEPTED', detail: { revision: current + 1, ...detail } }, this.logger);
        const result = await change.result(manager);
        writes.committed();
        return result;
      });
    } catch (error) {
      // Two administrators at once: the database lets exactly one of them have the next revision number.
      const failure = isUniqueViolation(error) ? this.conflict(viewer, correctsRevision + 1, correctsRevision) : error;
      if (failure instanceof GraphQLError && hasErrorCode(failure, 'CONFLICT')) {
        await this.audit(viewer, { ...record, outcome: 'CONFLICT', detail: { message: failure.message } });
      }
      throw failure;
    }
  }

  async issueToken(viewer: Viewer, input: TokenRequest, writes: WriteReceipt): Promise<IssuedToken> {
    const record: Omit<AuditRecord, 'outcome' | 'detail'> = {
      action: 'issueToken',
      target: { subject: input.subject, roles: input.roles, city: input.city ?? null, expiresIn: input.expiresIn },
    };
    await this.assertAdmin(viewer, record);
    if (!this.issuer) {
      const error = localizedError(
        viewer.locale,
        {
          de: 'Dieser Hub vertraut einem Identitätsanbieter (AUTH_JWKS_URL); Tokens stellt dieser aus.',
          en: 'This hub trusts an identity provider (AUTH_JWKS_URL); tokens come from there.',
        },
        { code: 'NOT_AVAILABLE' },
      );
      await this.audit(viewer, { ...record, outcome: 'REFUSED', detail: { message: error.message } });
      throw error;
    }
    const problems = this.tokenProblems(input);
    if (problems.length > 0) {
      await this.audit(viewer, { ...record, outcome: 'REFUSED', detail: { problems } });
      throw validationError(viewer.locale, problems);
    }
    const [, amount, unit] = TOKEN_LIFETIME.exec(input.expiresIn)!;
    const expiresAt = new Date(Date.now() + Number(amount) * SECONDS[unit!]! * 1000);
    const token = await issueLocalToken(this.issuer.key, {
      subject: input.subject.trim(),
      name: input.name?.trim() || undefined,
      roles: input.roles,
      city: input.roles.includes('hr') ? input.city! : undefined,
      expiresIn: input.expiresIn,
      audience: this.issuer.audience,
    });
    // The token itself is never logged: the log says who got which rights until when.
    await this.audit(viewer, { ...record, outcome: 'ACCEPTED', detail: { expiresAt: expiresAt.toISOString() } });
    writes.committed();
    return { token, subject: input.subject.trim(), roles: input.roles, city: input.roles.includes('hr') ? input.city! : null, expiresAt };
  }

  private async targetProblems(input: CommitmentTargetInput): Promise<Problem[]> {
    const problems: Problem[] = [];
    const add = (field: string, messages: Messages) => problems.push({ field, messages });
    const known = await this.commitments.all();
    if (!known.some((commitment) => commitment.id === input.commitmentId)) {
      add('commitmentId', {
        de: `Unbekannte Selbstverpflichtung "${input.commitmentId}"; bekannt sind: ${known.map((commitment) => commitment.id).join(', ')}.`,
        en: `Unknown commitment "${input.commitmentId}"; known: ${known.map((commitment) => commitment.id).join(', ')}.`,
      });
    }
    const share = input.targetShare ?? null;
    if (input.targetKind === 'INCREASE' && share !== null) {
      add('targetShare', { de: 'Bei INCREASE bleibt der Zielwert leer.', en: 'An INCREASE target has no share.' });
    }
    // Parity is computed each year from the reporting cities' population figures; a typed share would go stale.
    if (input.targetKind === 'POPULATION_PARITY' && share !== null) {
      add('targetShare', {
        de: 'Ein Paritätsziel wird jedes Jahr aus den Bevölkerungszahlen der Städte berechnet: bitte keinen Zielwert eingeben.',
        en: "A POPULATION_PARITY target is computed each year from the cities' population figures: give no share.",
      });
    }
    const commitment = known.find((candidate) => candidate.id === input.commitmentId);
    if (input.targetKind === 'POPULATION_PARITY' && commitment?.measure === 'JOBCENTER_INTERCULTURAL_TRAINING') {
      add('targetKind', {
        de: 'Parität mit der Bevölkerung gibt es nur für Anteile mit Zuwanderungsgeschichte (Beschäftigte, Auszubildende).',
        en: 'Parity with the population applies only to shares with a migration history (staff, trainees).',
      });
    }
    if (input.targetKind === 'FIXED' && (share === null || !(share >= 0 && share <= 1))) {
      add('targetShare', { de: 'Der Zielwert ist ein Anteil zwischen 0 und 1.', en: 'The target share is between 0 and 1.' });
    }
    if (input.reason.trim() === '') add('reason', { de: 'Eine Änderung braucht eine Begründung.', en: 'A change needs a reason.' });
    return problems;
  }

  private tokenProblems(input: TokenRequest): Problem[] {
    const problems: Problem[] = [];
    const add = (field: string, messages: Messages) => problems.push({ field, messages });
    if (input.roles.length === 0 || !input.roles.every(isRole)) add('roles', { de: 'Mindestens eine Rolle angeben.', en: 'Give at least one role.' });
    const cities = this.registry().members.map((member) => member.id);
    if (input.roles.includes('hr') && !cities.includes(input.city ?? '')) {
      add('city', { de: `Ein hr-Token braucht eine Mitgliedsstadt: ${cities.join(', ')}.`, en: `An hr token needs a member city: ${cities.join(', ')}.` });
    }
    if (input.subject.trim() === '' || input.subject.length > 200) add('subject', { de: 'Für wen? 1 bis 200 Zeichen.', en: 'For whom? 1 to 200 characters.' });
    const lifetime = TOKEN_LIFETIME.exec(input.expiresIn);
    if (!lifetime || Number(lifetime[1]) * SECONDS[lifetime[2]!]! > MAX_TOKEN_SECONDS) {
      add('expiresIn', { de: 'Gültigkeit wie 8h, 30d oder 12w, höchstens 366d.', en: 'Validity such as 8h, 30d or 12w, at most 366d.' });
    }
    return problems;
  }

  private membershipProblems(input: MembershipInput): Problem[] {
    const problems: Problem[] = [];
    const add = (field: string, messages: Messages) => problems.push({ field, messages });
    const ids = this.registry().members.map((member) => member.id);
    if (!ids.includes(input.memberId)) add('memberId', { de: `Keine Mitgliedsstadt "${input.memberId}"; bekannt sind: ${ids.join(', ')}.`, en: `No member city "${input.memberId}"; known: ${ids.join(', ')}.` });
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.since);
    const valid = date !== null && new Date(`${input.since}T00:00:00Z`).toISOString().startsWith(input.since);
    const today = new Date().toISOString().slice(0, 10);
    if (!valid || input.since < `${COOPERATION_BEGAN}-01-01` || input.since > today) {
      add('since', { de: `Ein Datum wie 2013-01-01, zwischen ${COOPERATION_BEGAN}-01-01 und heute.`, en: `A date such as 2013-01-01, from ${COOPERATION_BEGAN}-01-01 to today.` });
    } else if (input.precision === 'YEAR' && !input.since.endsWith('-01-01')) {
      add('since', { de: 'Ist nur das Jahr bekannt, ist das Datum der 1. Januar.', en: 'When only the year is known, the date is 1 January.' });
    }
    if (!input.source?.trim() && !input.note?.trim()) {
      add('note', { de: 'Ohne Quelle ist das Datum eine Schätzung: bitte erläutern.', en: 'Without a source the date is an estimate: say how it was arrived at.' });
    }
    if (input.reason.trim() === '') add('reason', { de: 'Eine Korrektur braucht eine Begründung.', en: 'A correction needs a reason.' });
    return problems;
  }

  private conflict(viewer: Viewer, latest: number, corrects: number): GraphQLError {
    return localizedError(
      viewer.locale,
      {
        de: `Revision ${corrects} ist nicht die neueste (${latest}); nichts wurde gespeichert.`,
        en: `Revision ${corrects} is not the latest (${latest}); nothing was saved.`,
      },
      { code: 'CONFLICT', field: 'correctsRevision', latestRevision: latest, correctsRevision: corrects },
    );
  }

  private async assertAdmin(viewer: Viewer, record: Omit<AuditRecord, 'outcome' | 'detail'>): Promise<void> {
    const refusal = denial(viewer, Access.ADMIN);
    if (!refusal) return;
    await this.anonymousRefusals.admit(viewer);
    const outcome: AuditOutcome = hasErrorCode(refusal, 'UNAUTHENTICATED') ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    await this.audit(viewer, { ...record, outcome, detail: { message: refusal.message } });
    throw refusal;
  }

  private audit(viewer: Viewer, record: AuditRecord): Promise<void> {
    return appendAudit(this.dataSource.manager, viewer, record, this.logger);
  }
}
