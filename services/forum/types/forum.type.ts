import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Commitment } from './commitment.type';
import { Municipality } from './municipality.type';

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'The inter-municipal integration forum of the Ruhr cities (Integrationsforum): its members, commitments and forum-wide progress.',
})
export class Forum {
  @Field(() => ID, { description: 'Stable id of the forum.' })
  id!: string;

  @Field({ description: 'Name of the forum.' })
  name!: string;

  @Field(() => Int, { description: 'Year the cities began to cooperate on integration.' })
  cooperationSince!: number;

  @Field(() => [Municipality], { description: 'Current member cities (Mitgliedsstädte), ordered by id.' })
  members!: Municipality[];

  @Field(() => [Commitment], { description: 'The commitments and their targets (Selbstverpflichtungen).' })
  commitments!: Commitment[];
}
