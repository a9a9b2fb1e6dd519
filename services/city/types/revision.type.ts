import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

@Directive('@shareable')
@ObjectType({
  description:
    'One submission of a figure (Revision). Corrections never overwrite: each is a new revision with who, when and why.',
})
export class Revision {
  @Field(() => Int, { description: 'Revision number for this year (and unit), starting at 1.' })
  number!: number;

  @Field({ description: 'Who submitted it: the HR account, or the demo data set.' })
  submittedBy!: string;

  @Field(() => DateTimeISOResolver, { description: 'When it was submitted (ISO 8601, UTC).' })
  submittedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Why it was submitted or corrected (Begründung).' })
  reason!: string | null;
}
