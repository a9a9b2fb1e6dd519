/**
 * The OSI-licensed composition (schema/open-composition.ts, @theguild/federation-composition) of the same subgraphs
 * gives the API that the supergraph `npm run compose` writes (@apollo/composition) gives. @apollo/federation-internals
 * reads both supergraphs here only as the reference for what a Federation v2 gateway makes of them.
 */
import { Supergraph } from '@apollo/federation-internals';
import { buildASTSchema, lexicographicSortSchema, parse, printSchema, type GraphQLSchema } from 'graphql';
import { composeFederation } from '../../schema/composition';
import { composeOpenFederation } from '../../schema/open-composition';
import { loadRegistry } from '../../services/common/registry';

const registry = loadRegistry();
const printed = (schema: GraphQLSchema) => printSchema(lexicographicSortSchema(schema));
const apiSchemaOf = (supergraph: string) => printed(Supergraph.build(supergraph).apiSchema().toGraphQLJSSchema());

describe('composition by @theguild/federation-composition', () => {
  const open = composeOpenFederation(registry);
  const apollo = composeFederation(registry);

  it('composes the forum and city subgraphs without errors into a Federation v2 supergraph', () => {
    expect(open.supergraph).toContain('@link(url: "https://specs.apollo.dev/join/v0.3"');
    expect(open.supergraph).toContain('join__graph(name: "forum"');
    expect(open.supergraph).toContain('join__graph(name: "city"');
  });

  it('gives the public API of the supergraph @apollo/composition composes', () => {
    const apolloApi = apiSchemaOf(apollo.supergraph);
    expect(printed(buildASTSchema(parse(open.publicSchema)))).toBe(apolloApi);
    // And a Federation v2 gateway reading the open supergraph serves that same API.
    expect(apiSchemaOf(open.supergraph)).toBe(apolloApi);
  });
});
