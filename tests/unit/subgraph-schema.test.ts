/**
 * Our Federation v2 subgraph protocol (services/common/subgraph-schema.ts): `_service { sdl }` and `_entities`, on a
 * small schema of two entities. The subgraphs themselves speak it in tests/e2e/contract.test.ts and the rest.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, graphql, GraphQLError, type ExecutionResult } from 'graphql';
import { fromProjectRoot } from '../../services/common/project-root';
import { buildFederatedSchema, FEDERATION_LINK, printSubgraphSdl } from '../../services/common/subgraph-schema';

const SDL = `
"""The root."""
type Query {
  """A shelf by id."""
  shelf(id: ID!): Shelf
}

"""A book, known to this subgraph by its isbn."""
type Book @key(fields: "isbn") {
  """Its key."""
  isbn: ID!
  """Its title, read through the class the reference resolver returns."""
  title: String!
}

"""A shelf, whose representation is its own answer."""
type Shelf @key(fields: "id") {
  """Its key."""
  id: ID!
}
`;

/** What the Book resolver returns: a class, so that losing its prototype (a copy with `__typename`) would show. */
class StoredBook {
  constructor(readonly isbn: string) {}
  get title(): string {
    return `Title of ${this.isbn}`;
  }
}

interface LibraryContext {
  missing: string;
}

function librarySchema() {
  return buildFederatedSchema({
    schema: buildSchema(SDL, { assumeValidSDL: true }),
    resolvers: {
      Book: {
        __resolveReference(reference: { isbn: string }, context: LibraryContext) {
          if (reference.isbn === 'broken') throw new GraphQLError('The catalogue is away.', { extensions: { code: 'DATABASE_UNAVAILABLE' } });
          if (reference.isbn === 'late') return Promise.resolve(new StoredBook('late'));
          if (reference.isbn === 'rejected') return Promise.reject(new Error('The catalogue timed out.'));
          return reference.isbn === context.missing ? null : new StoredBook(reference.isbn);
        },
      },
    },
  });
}

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Book { isbn title }
    ... on Shelf { id }
  }
}`;

async function entities(representations: unknown[]): Promise<ExecutionResult> {
  return graphql({ schema: librarySchema(), source: ENTITIES, variableValues: { representations }, contextValue: { missing: 'unknown-isbn' } });
}

describe('_service', () => {
  it('gives the SDL with the federation link and the directives the types carry, without the protocol definitions', async () => {
    const schema = librarySchema();
    const result = await graphql({ schema, source: '{ _service { sdl } }' });
    const sdl = (result.data as { _service: { sdl: string } })._service.sdl;
    expect(sdl).toBe(printSubgraphSdl(schema));
    expect(sdl.startsWith(`${FEDERATION_LINK}\n`)).toBe(true);
    expect(sdl).toContain('type Book @key(fields: "isbn") {');
    expect(sdl).toContain('shelf(');
    for (const protocolDefinition of ['_entities', '_service', '_Any', '_Entity', '_Service', 'directive @key', 'federation__FieldSet', 'link__Import', 'link__Purpose']) {
      expect(sdl).not.toContain(protocolDefinition);
    }
  });

  it('leaves out a Query that has only the protocol fields, as the city subgraph', () => {
    const sdl = printSubgraphSdl(
      buildFederatedSchema({
        schema: buildSchema('type Query { _unused: Int } type Book @key(fields: "isbn") { isbn: ID! }', { assumeValidSDL: true }),
        resolvers: {},
      }),
    );
    expect(sdl).toContain('type Query {\n  _unused: Int\n}');
    const entitiesOnly = buildFederatedSchema({
      schema: buildSchema('type Mutation { shelve(isbn: ID!): Boolean } type Book @key(fields: "isbn") { isbn: ID! }', { assumeValidSDL: true }),
      resolvers: {},
    });
    expect(printSubgraphSdl(entitiesOnly)).not.toContain('Query');
    expect(printSubgraphSdl(entitiesOnly)).not.toContain('schema {');
    expect(entitiesOnly.getQueryType()?.getFields()._entities).toBeDefined();
  });
});

describe('_entities', () => {
  it('answers the representations in the order given, each by its type', async () => {
    const result = await entities([
      { __typename: 'Book', isbn: '978-1' },
      { __typename: 'Shelf', id: 'north' },
      { __typename: 'Book', isbn: 'late' },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      _entities: [
        { __typename: 'Book', isbn: '978-1', title: 'Title of 978-1' },
        { __typename: 'Shelf', id: 'north' },
        { __typename: 'Book', isbn: 'late', title: 'Title of late' },
      ],
    });
  });

  it('gives null and an error at its own index for a representation that fails, and answers the others', async () => {
    const result = await entities([
      { __typename: 'Book', isbn: '978-1' },
      { __typename: 'Book', isbn: 'broken' },
      { __typename: 'Book', isbn: 'rejected' },
      { __typename: 'Book', isbn: '978-2' },
    ]);
    expect(result.data).toEqual({
      _entities: [{ __typename: 'Book', isbn: '978-1', title: 'Title of 978-1' }, null, null, { __typename: 'Book', isbn: '978-2', title: 'Title of 978-2' }],
    });
    expect(result.errors?.map((error) => ({ path: error.path, message: error.message, code: error.extensions.code }))).toEqual([
      { path: ['_entities', 1], message: 'The catalogue is away.', code: 'DATABASE_UNAVAILABLE' },
      { path: ['_entities', 2], message: 'The catalogue timed out.', code: undefined },
    ]);
  });

  it('gives null without an error for an entity this subgraph does not know (its resolver answers null)', async () => {
    const result = await entities([{ __typename: 'Book', isbn: 'unknown-isbn' }, { __typename: 'Shelf', id: 'south' }]);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ _entities: [null, { __typename: 'Shelf', id: 'south' }] });
  });

  it('gives null and a BAD_USER_INPUT error for a __typename that is no entity type of the subgraph', async () => {
    const result = await entities([{ __typename: 'Magazine', id: '1' }, { __typename: 'Query' }, { isbn: 'no-typename' }, { __typename: 'Shelf', id: 'west' }]);
    expect(result.data).toEqual({ _entities: [null, null, null, { __typename: 'Shelf', id: 'west' }] });
    expect(result.errors?.map((error) => ({ path: error.path, code: error.extensions.code }))).toEqual([
      { path: ['_entities', 0], code: 'BAD_USER_INPUT' },
      { path: ['_entities', 1], code: 'BAD_USER_INPUT' },
      { path: ['_entities', 2], code: 'BAD_USER_INPUT' },
    ]);
  });

  it('refuses a __resolveReference for a type without @key when the schema is built', () => {
    expect(() =>
      buildFederatedSchema({
        schema: buildSchema(SDL, { assumeValidSDL: true }),
        resolvers: { Query: { __resolveReference: () => null } },
      }),
    ).toThrow('Query');
  });
});

describe('the subgraphs as built', () => {
  /**
   * In a process of its own (a module cache of its own), every compiled module of the city and forum services but
   * their `main`, which would start them: the packages they load, each with its licence.
   */
  function packagesTheSubgraphsLoad(): Map<string, string> {
    const script = `
      require('reflect-metadata');
      const fs = require('node:fs'), path = require('node:path');
      const walk = (directory) => fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(path.join(directory, entry.name)) : entry.name.endsWith('.js') && entry.name !== 'main.js' ? [path.join(directory, entry.name)] : []);
      for (const service of ['city', 'forum', 'common', 'domain']) for (const file of walk(path.join('dist', 'services', service))) require(path.resolve(file));
      require(path.resolve('dist/services/city/schema.js')).citySubgraphSchema();
      require(path.resolve('dist/services/forum/schema.js')).forumSubgraphSchema();
      const packages = new Set(Object.keys(require.cache).map((file) => file.match(/^(.*node_modules\\/(?:@[^/]+\\/)?[^/]+)\\//)?.[1]).filter(Boolean));
      process.stdout.write(JSON.stringify([...packages]));
      process.exit(0);`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: fromProjectRoot(), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const directories = JSON.parse(run.stdout) as string[];
    return new Map(
      directories.map((directory) => {
        const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name: string; license?: string };
        return [manifest.name, manifest.license ?? 'UNKNOWN'];
      }),
    );
  }

  it('load no Elastic-licensed package: the subgraph protocol is our own code on @graphql-tools/schema', () => {
    const loaded = packagesTheSubgraphsLoad();
    expect(loaded.get('@graphql-tools/schema')).toBe('MIT');
    expect([...loaded].filter(([, licence]) => licence === 'Elastic-2.0')).toEqual([]);
  });
});
