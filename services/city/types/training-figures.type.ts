import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { Provenance } from '../../common/graphql/provenance.type';
import { Revision } from './revision.type';

@Directive('@shareable')
@ObjectType({
  description: "Intercultural training (interkulturelle Schulung) in one organisational unit for a year.",
})
export class TrainingFigures {
  @Field(() => Int, { description: 'Calendar year.' })
  year!: number;

  @Field({ description: 'Unit id, as in `units` (e.g. jobcenter).' })
  unit!: string;

  @Field({ description: 'Unit name in German (Bezeichnung).' })
  unitName!: string;

  @Field({ description: 'Whether this unit is the Jobcenter, whose staff the forum committed to train in full.' })
  jobcenter!: boolean;

  @Field(() => Int, { nullable: true, description: 'Staff expected to take the training (Zielgruppe).' })
  staffInScope!: number | null;

  @Field(() => Int, { nullable: true, description: 'Staff who completed it, cumulative (geschult).' })
  completed!: number | null;

  @Field(() => Float, { nullable: true, description: 'completed / staffInScope (Schulungsquote), 0 to 1.' })
  completionRate!: number | null;

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;

  @Field(() => Revision, { description: 'The revision shown: the latest submitted for this year and unit.' })
  revision!: Revision;
}
