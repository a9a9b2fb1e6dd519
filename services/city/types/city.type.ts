import { Directive, ObjectType } from 'type-graphql';
import { Municipality } from './municipality.interface';

/**
 * Template of the city entity type: the subgraph stamps it with the city's own type name from the registry
 * (see `services/common/subgraph-schema.ts`), so this name never reaches the schema.
 */
@Directive('@key(fields: "id")')
@ObjectType('CityTemplate', { implements: Municipality })
export class CityTemplate extends Municipality {}
