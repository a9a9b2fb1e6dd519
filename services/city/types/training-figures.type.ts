import { Authorized, Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { Access } from '../../common/auth/access';
import { Provenance } from '../../common/graphql/provenance.type';
import { Revision } from './revision.type';
import { SuppressedValue } from './suppressed-value.type';

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

  @Field(() => Float, { nullable: true, description: 'completed / staffInScope (Schulungsquote), 0 to 1; null when either is withheld.' })
  completionRate!: number | null;

  @Field(() => [SuppressedValue], { description: 'Values withheld for statistical confidentiality (Geheimhaltung); empty when nothing is.' })
  suppressed!: SuppressedValue[];

  @Field(() => Provenance, { description: 'Where these figures come from.' })
  provenance!: Provenance;

  @Authorized(Access.MEMBER)
  @Field(() => Revision, { description: 'The revision shown: the latest submitted for this year and unit. Forum members and above.' })
  revision!: Revision;
}
