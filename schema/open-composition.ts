import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import type { Registry } from '../services/common/registry';
import { CompositionError, subgraphDefinitions } from './composition';

/**
 * The same two subgraphs composed by The Guild's `@theguild/federation-composition` (MIT) instead of the
 * Elastic-licensed `@apollo/composition`: the composition step of the stack that is OSI-licensed end to end
 * (docs/dependencies.md). `npm run compose` still writes the supergraph `@apollo/composition` composes; this one
 * must give the same public API (tests/unit/open-composition.test.ts).
 */
export interface OpenComposition {
  /** The supergraph SDL, with the join__ and link__ definitions a Federation v2 gateway reads. */
  supergraph: string;
  /** The API schema clients see: the supergraph without its federation definitions. */
  publicSchema: string;
}

export function composeOpenFederation(registry: Registry): OpenComposition {
  const result = composeServices(
    [...subgraphDefinitions(registry)].map(([name, { sdl, url }]) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) {
    throw new CompositionError(`the subgraphs do not compose (@theguild/federation-composition):\n${result.errors.map((error) => `  ${error.message}`).join('\n')}`);
  }
  return { supergraph: result.supergraphSdl, publicSchema: result.publicSdl };
}
