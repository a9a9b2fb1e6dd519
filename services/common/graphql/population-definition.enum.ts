import { registerEnumType } from 'type-graphql';
import type { PopulationDefinition as DomainPopulationDefinition } from '../../domain/targets';

/** Declared by the city subgraphs (population figures) and the forum (the parity benchmark): one declaration for both. */
export const PopulationDefinition = {
  MIGRATION_BACKGROUND: 'MIGRATION_BACKGROUND',
  IMMIGRATION_HISTORY: 'IMMIGRATION_HISTORY',
} as const satisfies Record<DomainPopulationDefinition, DomainPopulationDefinition>;
export type PopulationDefinition = (typeof PopulationDefinition)[keyof typeof PopulationDefinition];

registerEnumType(PopulationDefinition, {
  name: 'PopulationDefinition',
  description:
    'Which group a population share counts. The two are not the same group, and a share is comparable only with one of the same definition (docs/methods.md, "Parity").',
  valuesConfig: {
    MIGRATION_BACKGROUND: {
      description:
        'Migrationshintergrund (Mikrozensus, many city registers): foreign nationals, people who immigrated after 1949, and people with at least one parent who did.',
    },
    IMMIGRATION_HISTORY: {
      description:
        'Einwanderungsgeschichte (Zensus 2022): people who immigrated themselves, plus descendants of immigrants under 19; adult descendants are not counted, so its shares run lower than Migrationshintergrund shares of the same place.',
    },
  },
});
