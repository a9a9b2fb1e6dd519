import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import type { SuppressionReason } from '../../domain/suppression';

export const SuppressionReasonEnum = { CONFIDENTIAL: 'CONFIDENTIAL' } as const satisfies Record<SuppressionReason, SuppressionReason>;

registerEnumType(SuppressionReasonEnum, {
  name: 'SuppressionReason',
  description:
    'Why a count is withheld (Geheimhaltung). There is one reason only: a reason that told small counts from the counts withheld to protect them would bound the value.',
  valuesConfig: {
    CONFIDENTIAL: { description: 'Withheld for statistical confidentiality (statistische Geheimhaltung); nothing about the value is implied.' },
  },
});

@Directive('@shareable')
@ObjectType({
  description:
    "A value withheld for statistical confidentiality: its field is null for this reader, and so is every share or rate made from it. The city's own HR team and administrators see it.",
})
export class SuppressedValue {
  @Field({ description: 'The field that is null (e.g. withMigrationHistory).' })
  field!: string;

  @Field(() => SuppressionReasonEnum, { description: 'Why it is withheld: always CONFIDENTIAL.' })
  reason!: SuppressionReason;
}
