import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../audit/audit-entry.entity';

export const AuditOutcomeEnum = Object.fromEntries(AUDIT_OUTCOMES.map((outcome) => [outcome, outcome])) as { [Outcome in AuditOutcome]: Outcome };

registerEnumType(AuditOutcomeEnum, {
  name: 'AuditOutcome',
  description: 'How a write attempt ended.',
  valuesConfig: {
    ACCEPTED: { description: 'Written as a new revision.' },
    REPLAYED: { description: 'A retry with a known idempotency key: the first result was returned, nothing written.' },
    REFUSED: { description: 'Refused for invalid values; nothing written.' },
    CONFLICT: { description: 'Refused because it corrected a revision that was no longer the latest; nothing written.' },
    FORBIDDEN: { description: 'Refused: the token did not grant writing these figures.' },
    UNAUTHENTICATED: { description: 'Refused: no token.' },
  },
});

@Directive('@shareable')
@ObjectType({ description: "One entry of an audit log (Protokoll): every write and every refused write attempt." })
export class AuditLogEntry {
  @Field(() => ID, { description: 'Sequence number.' })
  id!: string;

  @Field(() => DateTimeISOResolver, { description: 'When.' })
  at!: Date;

  @Field({ description: 'Who: the token subject.' })
  actor!: string;

  @Field({ description: "Who: the token's display name." })
  actorName!: string;

  @Field({ description: 'The roles the token granted (e.g. hr:duisburg).' })
  roles!: string;

  @Field({ description: 'What was attempted (e.g. submitStaffFigures).' })
  action!: string;

  @Field(() => GraphQLJSONObject, { description: 'What it was about: kind, year, unit, revision corrected.' })
  target!: Record<string, unknown>;

  @Field(() => AuditOutcomeEnum, { description: 'How it ended.' })
  outcome!: AuditOutcome;

  @Field(() => GraphQLJSONObject, { description: 'The revision written, or why it was refused.' })
  detail!: Record<string, unknown>;
}
