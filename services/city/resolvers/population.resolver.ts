import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { parityBasisOf, populationCountFor } from '../../domain/members';
import type { PopulationCount, PopulationShareEntry } from '../../common/registry';
import type { CityContext, CityReference } from '../context';
import { Municipality } from '../types/municipality.type';
import { Population, PopulationShare } from '../types/population.type';

const LATEST = Number.MAX_SAFE_INTEGER;

function toPopulation({ count, year, provenance, source, note }: PopulationCount): Population {
  return { count, year, provenance: { kind: provenance, source: source ?? null, note: note ?? null } };
}

function toPopulationShare({ share, year, definition, provenance, source, note }: PopulationShareEntry): PopulationShare {
  return { share, year, definition, provenance: { kind: provenance, source: source ?? null, note: note ?? null } };
}

/** The city's population figures from the registry (schema/members.json): published figures by year, with their sources. */
@Resolver(() => Municipality)
export class PopulationResolver {
  @FieldResolver(() => Population, {
    nullable: true,
    description:
      "The city's population (Einwohnerzahl) for a year: the latest figure not after it, else the earliest; without a year, the latest figure.",
  })
  population(
    @Root() _city: CityReference,
    @Arg('year', () => Int, { nullable: true, description: 'The year the figure is for; default: the latest figure.' }) year: number | null,
    @Ctx() context: CityContext,
  ): Population {
    return toPopulation(populationCountFor(context.member, year ?? LATEST));
  }

  @FieldResolver(() => [Population], { nullable: true, description: "Every published population figure of the city, ordered by year." })
  populationSeries(@Root() _city: CityReference, @Ctx() context: CityContext): Population[] {
    return context.member.populationSeries.map(toPopulation);
  }

  @FieldResolver(() => PopulationShare, {
    nullable: true,
    description:
      "The population's share with a migration history that a POPULATION_PARITY target for a year rests on: the latest figure not after the year, else the earliest (the target is then an ESTIMATE); without a year, the latest figure.",
  })
  populationWithMigrationHistory(
    @Root() _city: CityReference,
    @Arg('year', () => Int, { nullable: true, description: 'Reporting year (Berichtsjahr); default: the latest figure.' }) year: number | null,
    @Ctx() context: CityContext,
  ): PopulationShare {
    return toPopulationShare(parityBasisOf(context.member, year ?? LATEST).figure);
  }

  @FieldResolver(() => [PopulationShare], {
    nullable: true,
    description: "Every published share of the population with a migration history, ordered by year, each with its definition and source.",
  })
  populationShares(@Root() _city: CityReference, @Ctx() context: CityContext): PopulationShare[] {
    return context.member.populationShares.map(toPopulationShare);
  }
}
