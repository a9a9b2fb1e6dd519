import { Directive, Field, ObjectType } from 'type-graphql';

@Directive('@shareable')
@ObjectType('OrganisationalUnit', {
  description: 'A part of the administration that reports its own figures (Organisationseinheit, e.g. Jobcenter).',
})
export class OrganisationalUnitType {
  @Field({ description: 'Stable id used in figures and submissions (e.g. jobcenter).' })
  id!: string;

  @Field({ description: 'Name in German.' })
  name!: string;

  @Field({ description: 'Name in English.' })
  nameEn!: string;

  @Field({ description: 'Whether this is the Jobcenter.' })
  jobcenter!: boolean;
}
