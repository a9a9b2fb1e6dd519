import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { provenanceKinds, type ProvenanceKind } from '../registry';

export const ProvenanceKindEnum = Object.fromEntries(provenanceKinds.map((kind) => [kind, kind])) as {
  [Kind in ProvenanceKind]: Kind;
};

registerEnumType(ProvenanceKindEnum, {
  name: 'ProvenanceKind',
  description: 'Where a figure comes from (Herkunft der Zahl).',
  valuesConfig: {
    OFFICIAL: { description: 'Published by the city, a statistical office or the press, with its source (amtlich/veröffentlicht).' },
    SUBMITTED: { description: "Submitted by the city's HR team through the hub (gemeldet)." },
    ESTIMATE: { description: 'Estimated for the demo data set or derived from partial figures: not an official number (Schätzung).' },
  },
});

@Directive('@shareable')
@ObjectType({ description: 'Where a figure comes from and how sure it is (Herkunft).' })
export class Provenance {
  @Field(() => ProvenanceKindEnum, { description: 'Official, submitted, or estimated.' })
  kind!: ProvenanceKind;

  @Field(() => String, { nullable: true, description: 'The publication or office the figure comes from (Quelle); null for estimates without one.' })
  source!: string | null;

  @Field(() => String, { nullable: true, description: 'What was estimated and how, or other caveats (Hinweis).' })
  note!: string | null;
}
