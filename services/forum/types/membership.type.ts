import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Provenance } from '../../common/graphql/provenance.type';

export const DatePrecision = { DAY: 'DAY', YEAR: 'YEAR' } as const;
export type DatePrecision = (typeof DatePrecision)[keyof typeof DatePrecision];

registerEnumType(DatePrecision, {
  name: 'DatePrecision',
  description: 'How precise a date is.',
  valuesConfig: {
    DAY: { description: 'The exact day is known.' },
    YEAR: { description: 'Only the year is known; the date is the 1st of January.' },
  },
});

@ObjectType({ description: "A city's membership in the forum (Mitgliedschaft)." })
export class Membership {
  @Field(() => LocalDateResolver, { description: 'Date the city joined (Beitritt).' })
  since!: string;

  @Field(() => DatePrecision, { description: 'Whether the day or only the year is known.' })
  precision!: DatePrecision;

  @Field(() => Provenance, { description: 'Where the date comes from; an ESTIMATE where no date is published.' })
  provenance!: Provenance;

  @Field(() => Int, { description: 'Revision of these facts: 0 as in the member registry, from 1 corrected by an administrator.' })
  revision!: number;
}
