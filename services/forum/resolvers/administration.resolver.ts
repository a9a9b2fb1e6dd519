import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { readAuditLog, toAuditLogEntry } from '../../common/audit/audit-log';
import { Access } from '../../common/auth/access';
import { AuditLogEntry } from '../../common/graphql/audit-log-entry.type';
import { toMemberView, type ForumContext } from '../context';
import { CommitmentTargetInput, CommitmentTargetRevisionType, ForumAdministration, IssuedToken, MembershipInput, TokenRequest } from '../types/administration.type';
import { Municipality } from '../types/municipality.type';
import { Commitment } from '../types/commitment.type';
import { Forum } from '../types/forum.type';

@ArgsType()
class AuditLogArgs {
  @Field(() => Int, { defaultValue: 100, description: 'How many entries, at most 1000.' })
  limit!: number;

  @Field(() => ID, { nullable: true, description: 'Entries older than this id (the last id of the previous page).' })
  before?: string | null;
}

/** `mutation { forum { setCommitmentTarget(...) issueToken(...) } }`: administrators only. */
@Resolver(() => ForumAdministration)
export class AdministrationResolver {
  @Mutation(() => ForumAdministration, { nullable: true, description: "The forum's administration: commitment targets and tokens. Administrators only." })
  forum(): ForumAdministration {
    return {};
  }

  @FieldResolver(() => Commitment, {
    description: "Set a commitment's target as a new revision (the old one stays in targetHistory). Names the revision it changes; a stale one gets CONFLICT.",
  })
  setCommitmentTarget(@Arg('input', () => CommitmentTargetInput, { description: 'The new target.' }) input: CommitmentTargetInput, @Ctx() context: ForumContext) {
    return context.administration.setCommitmentTarget(context.viewer, input, context.writes);
  }

  @FieldResolver(() => Municipality, {
    description:
      "Correct a member's membership facts (join date, how precise, source) as a new revision on top of the registry file. Names the revision it corrects; a stale one gets CONFLICT.",
  })
  async setMembership(@Arg('input', () => MembershipInput, { description: 'The corrected facts.' }) input: MembershipInput, @Ctx() context: ForumContext) {
    return toMemberView(await context.administration.setMembership(context.viewer, input, context.writes));
  }

  @FieldResolver(() => IssuedToken, {
    description:
      "Issue a token signed by the hub's own key, only on a hub without identity provider (no AUTH_JWKS_URL; npm start brings one, so there this answers NOT_AVAILABLE: get tokens from the provider, docs/security.md). The token is shown once and not stored.",
  })
  issueToken(@Arg('input', () => TokenRequest, { description: 'For whom, with which roles, how long.' }) input: TokenRequest, @Ctx() context: ForumContext) {
    return context.administration.issueToken(context.viewer, input, context.writes);
  }
}

@Resolver(() => Forum)
export class ForumAuditResolver {
  @Authorized(Access.ADMIN)
  @FieldResolver(() => [AuditLogEntry], {
    nullable: true,
    description: "The forum's audit log, newest first: changes of targets, tokens issued, and refused attempts. Administrators only.",
  })
  async auditLog(@Args() { limit, before }: AuditLogArgs, @Ctx() context: ForumContext): Promise<AuditLogEntry[]> {
    return (await readAuditLog(context.dataSource.manager, limit, before)).map(toAuditLogEntry);
  }
}

@Resolver(() => Commitment)
export class CommitmentResolver {
  @Authorized(Access.MEMBER)
  @FieldResolver(() => [CommitmentTargetRevisionType], {
    description: 'Every revision of the target, oldest first: as adopted, then each change, with who and why. Forum members and above.',
  })
  async targetHistory(@Root() commitment: Commitment, @Ctx() context: ForumContext): Promise<CommitmentTargetRevisionType[]> {
    return (await context.commitmentsStore.history(commitment.id)).map((revision) => ({
      number: revision.revision,
      targetKind: revision.targetKind,
      targetShare: revision.targetShare,
      submittedBy: revision.submittedBy,
      submittedAt: revision.submittedAt,
      reason: revision.reason,
    }));
  }
}
