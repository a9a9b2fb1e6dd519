import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TargetKind } from '../../common/graphql/target-kind.enum';
import { DatePrecision } from './membership.type';
import type { Role } from '../../common/auth/viewer';

export const RoleEnum = { MEMBER: 'member', HR: 'hr', ADMIN: 'admin' } as const satisfies Record<string, Role>;

registerEnumType(RoleEnum, {
  name: 'Role',
  description: 'What a token lets its holder do (docs/security.md).',
  valuesConfig: {
    MEMBER: { description: 'Forum member: also unit breakdowns (small counts withheld) and revision history.' },
    HR: { description: "A city's HR team: as a member, plus its own city's figures unwithheld, and writing them." },
    ADMIN: { description: 'Administrator: everything, the audit logs, commitments and tokens; no city figures.' },
  },
});

@InputType({ description: "A new target for one of the forum's commitments; the old one stays in the history." })
export class CommitmentTargetInput {
  @Field(() => ID, { description: 'The commitment (e.g. staff-share).' })
  commitmentId!: string;

  @Field(() => TargetKind, { description: 'How the target is set.' })
  targetKind!: TargetKind;

  @Field(() => Float, {
    nullable: true,
    description:
      "Target share, 0 to 1: given exactly when the kind is FIXED. A POPULATION_PARITY target is computed from the cities' population figures and takes no share (a share is refused with BAD_USER_INPUT); INCREASE has none.",
  })
  targetShare?: number | null;

  @Field(() => Int, { description: 'The target revision this changes; a stale one is refused with CONFLICT.' })
  correctsRevision!: number;

  @Field({ description: 'Why (Begründung), e.g. the forum decision.' })
  reason!: string;
}

@InputType({ description: "A token signed by the hub's own key (where no identity provider is configured)." })
export class TokenRequest {
  @Field(() => [RoleEnum], { description: 'The roles it grants.' })
  roles!: Role[];

  @Field(() => ID, { nullable: true, description: 'The city of an HR token.' })
  city?: string | null;

  @Field({ description: 'Whom it is for: a stable id such as an e-mail address.' })
  subject!: string;

  @Field(() => String, { nullable: true, description: 'Display name, shown in revisions and audit logs.' })
  name?: string | null;

  @Field({ defaultValue: '30d', description: 'How long it is valid: a number and s, m, h, d or w (at most 366d).' })
  expiresIn!: string;
}

@ObjectType({ description: 'An issued token. It is shown once: the hub does not store it.' })
export class IssuedToken {
  @Field({ description: 'The token; send it as "Authorization: Bearer <token>".' })
  token!: string;

  @Field({ description: 'Whom it is for.' })
  subject!: string;

  @Field(() => [RoleEnum], { description: 'The roles it grants.' })
  roles!: Role[];

  @Field(() => String, { nullable: true, description: 'The city of an HR token.' })
  city!: string | null;

  @Field(() => DateTimeISOResolver, { description: 'When it expires.' })
  expiresAt!: Date;
}

@ObjectType({ description: "One revision of a commitment's target (Zielwert)." })
export class CommitmentTargetRevisionType {
  @Field(() => Int, { description: 'Revision number; 1 is the target as adopted.' })
  number!: number;

  @Field(() => TargetKind, { description: 'How the target was set.' })
  targetKind!: TargetKind;

  @Field(() => Float, {
    nullable: true,
    description: 'Target share, 0 to 1, as written; null for INCREASE and for a computed POPULATION_PARITY target.',
  })
  targetShare!: number | null;

  @Field({ description: 'Who set it.' })
  submittedBy!: string;

  @Field(() => DateTimeISOResolver, { description: 'When.' })
  submittedAt!: Date;

  @Field({ description: 'Why.' })
  reason!: string;
}

@InputType({ description: "A correction of a member's membership facts in the forum's registry (Mitgliederverzeichnis)." })
export class MembershipInput {
  @Field(() => ID, { description: 'The member city (e.g. gelsenkirchen).' })
  memberId!: string;

  @Field({ description: 'Date it joined (ISO 8601, e.g. 2013-01-01), from 2008 on.' })
  since!: string;

  @Field(() => DatePrecision, { description: 'DAY, or YEAR when only the year is known (then the date is 1 January).' })
  precision!: DatePrecision;

  @Field(() => String, { nullable: true, description: 'Where the date is documented; without one the date is an estimate.' })
  source?: string | null;

  @Field(() => String, { nullable: true, description: 'How an estimated date was arrived at (required without a source).' })
  note?: string | null;

  @Field(() => Int, { description: 'The revision this corrects: membership.revision as read (0 is the registry file).' })
  correctsRevision!: number;

  @Field({ description: 'Why (Begründung).' })
  reason!: string;
}

/** The forum's administration (`mutation { forum { ... } }`): administrators only. */
@ObjectType({
  description: "The forum's administration: the member registry's membership facts, commitments and tokens. Administrators only; every attempt is in the forum's audit log.",
})
export class ForumAdministration {}
