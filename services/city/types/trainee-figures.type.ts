import { Authorized, Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { Access } from '../../common/auth/access';
import { Provenance } from '../../common/graphql/provenance.type';
import { Revision } from './revision.type';

@Directive('@shareable')
@ObjectType({
  description: "A year's trainee intake (Auszubildende, Neueinstellungen des Jahres) and its share with a migration history.",
})
export class TraineeFigures {
  @Field(() => Int, { description: 'Calendar year (Ausbildungsjahrgang).' })
  year!: number;

  @Field(() => Int, { nullable: true, description: 'Trainees who started that year.' })
  intake!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, trainees with a migration history. Null where not recorded.' })
  withMigrationHistory!: number | null;

  @Field(() => Float, { nullable: true, description: 'withMigrationHistory / intake, 0 to 1.' })
  share!: number | null;

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;

  @Authorized(Access.MEMBER)
  @Field(() => Revision, { description: 'The revision shown: the latest submitted for this year. Forum members and above.' })
  revision!: Revision;
}

@Directive('@shareable')
@ObjectType({ description: "A year's new hires (Neueinstellungen), trainees not included." })
export class NewHireFigures {
  @Field(() => Int, { description: 'Calendar year.' })
  year!: number;

  @Field(() => Int, { nullable: true, description: 'Staff hired that year.' })
  total!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of those, with a migration history. Null where not recorded.' })
  withMigrationHistory!: number | null;

  @Field(() => Float, { nullable: true, description: 'withMigrationHistory / total, 0 to 1.' })
  share!: number | null;

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;

  @Authorized(Access.MEMBER)
  @Field(() => Revision, { description: 'The revision shown: the latest submitted for this year. Forum members and above.' })
  revision!: Revision;
}
