import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { MINIMUM_COUNT, type SuppressionReason } from '../../common/domain/suppression';

export const SuppressionReasonEnum = { SMALL_COUNT: 'SMALL_COUNT', COMPLEMENTARY: 'COMPLEMENTARY' } as const satisfies Record<
  SuppressionReason,
  SuppressionReason
>;

registerEnumType(SuppressionReasonEnum, {
  name: 'SuppressionReason',
  description: 'Why a count is withheld (Geheimhaltung).',
  valuesConfig: {
    SMALL_COUNT: { description: `A count of 1 or 2: below the minimum of ${MINIMUM_COUNT} that statistical offices publish.` },
    COMPLEMENTARY: {
      description: 'Withheld so that the published total minus the shown counts does not reveal a small one (sekundäre Geheimhaltung).',
    },
  },
});

@Directive('@shareable')
@ObjectType({
  description:
    "A value withheld for statistical confidentiality: its field is null for this reader. The city's own HR team and administrators see it.",
})
export class SuppressedValue {
  @Field({ description: 'The field that is null (e.g. withMigrationHistory).' })
  field!: string;

  @Field(() => SuppressionReasonEnum, { description: 'Why it is withheld.' })
  reason!: SuppressionReason;
}
