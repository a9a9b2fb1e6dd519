/**
 * Routing by key (services/common/routing/route-by-key.ts): one city-subgraph request split by municipality id and
 * merged as if one service had answered. The services here are plain functions that answer like a city subgraph;
 * tests/e2e/contract.test.ts and the rest run the same code between real processes.
 */
import { parse } from 'graphql';
import { routeByKey, type SubgraphReply, type SubgraphRequest } from '../../services/common/routing/route-by-key';

const ENTITIES = 'query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on Municipality { id staff(year: 2024) { headcount } } } }';
const MEMBERS = new Set(['bochum', 'duisburg', 'essen']);

/**
 * Services that answer each representation with who answered it, and record what each was sent, in order. Each
 * member has an endpoint of its own unless `endpoints` puts several behind one (a regional hub); a call for several
 * is recorded and answered as `a+b`.
 */
function cities(
  answer: (id: string, request: SubgraphRequest) => Promise<SubgraphReply> | SubgraphReply = (id, request) => ({
    data: { _entities: (request.variables!.representations as Array<{ id: string }>).map((representation) => ({ id: representation.id, by: id })) },
  }),
  endpoints: Record<string, string> = {},
) {
  const sent: Array<{ id: string; request: SubgraphRequest }> = [];
  return {
    sent,
    targets: {
      knows: (id: string) => MEMBERS.has(id),
      endpointOf: (id: string) => endpoints[id] ?? id,
      send: async (members: readonly string[], request: SubgraphRequest) => {
        sent.push({ id: members.join('+'), request });
        return answer(members.join('+'), request);
      },
    },
  };
}

/** What each call was sent: who it was for, and the ids of its representations, in a stable order. */
const sentRepresentations = (sent: Array<{ id: string; request: SubgraphRequest }>) =>
  sent.map(({ id, request }) => [id, (request.variables!.representations as Array<{ id: string }>).map((each) => each.id)]).sort();

const representations = (...ids: string[]) => ids.map((id) => ({ __typename: 'Municipality', id }));

describe('an _entities fetch', () => {
  it('goes to each municipality with its own representations only, and comes back in the order asked', async () => {
    const { sent, targets } = cities();
    const reply = await routeByKey({ query: ENTITIES, variables: { representations: representations('essen', 'bochum', 'essen', 'duisburg') } }, targets);
    expect(reply.errors).toBeUndefined();
    expect(reply.data!._entities).toEqual([
      { id: 'essen', by: 'essen' },
      { id: 'bochum', by: 'bochum' },
      { id: 'essen', by: 'essen' },
      { id: 'duisburg', by: 'duisburg' },
    ]);
    expect(sentRepresentations(sent)).toEqual([
      ['bochum', ['bochum']],
      ['duisburg', ['duisburg']],
      ['essen', ['essen', 'essen']],
    ]);
  });

  it('asks every municipality at once', async () => {
    let inFlight = 0;
    let most = 0;
    const { targets } = cities(async (id, request) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return { data: { _entities: (request.variables!.representations as unknown[]).map(() => ({ id })) } };
    });
    await routeByKey({ query: ENTITIES, variables: { representations: representations('bochum', 'duisburg', 'essen') } }, targets);
    expect(most).toBe(3);
  });

  it("moves a municipality's errors to its entries in the whole request, and names the municipality", async () => {
    const { targets } = cities((id, request) => {
      const asked = request.variables!.representations as unknown[];
      return id === 'essen'
        ? { data: { _entities: asked.map(() => ({ id, staff: null })) }, errors: [{ message: 'database away', path: ['_entities', 1, 'staff'], extensions: { code: 'DATABASE_UNAVAILABLE' } }] }
        : { data: { _entities: asked.map(() => ({ id })) } };
    });
    const reply = await routeByKey({ query: ENTITIES, variables: { representations: representations('essen', 'bochum', 'essen') } }, targets);
    expect(reply.errors).toEqual([{ message: 'database away', path: ['_entities', 2, 'staff'], extensions: { code: 'DATABASE_UNAVAILABLE', city: 'essen' } }]);
  });

  it('leaves null where a municipality did not answer, with its error at its first entry, and keeps the others', async () => {
    const { targets } = cities((id, request) =>
      id === 'bochum'
        ? { data: null, errors: [{ message: 'Bochum is unavailable', extensions: { code: 'CITY_UNAVAILABLE', city: 'bochum' } }] }
        : { data: { _entities: (request.variables!.representations as unknown[]).map(() => ({ id })) } },
    );
    const reply = await routeByKey({ query: ENTITIES, variables: { representations: representations('duisburg', 'bochum', 'essen', 'bochum') } }, targets);
    expect(reply.data!._entities).toEqual([{ id: 'duisburg' }, null, { id: 'essen' }, null]);
    expect(reply.errors).toEqual([{ message: 'Bochum is unavailable', path: ['_entities', 1], extensions: { code: 'CITY_UNAVAILABLE', city: 'bochum' } }]);
  });

  it('answers an id the directory does not know with null and NOT_FOUND, without asking anyone for it', async () => {
    const { sent, targets } = cities();
    const reply = await routeByKey({ query: ENTITIES, variables: { representations: representations('nowhere', 'essen') } }, targets);
    expect(reply.data!._entities).toEqual([null, { id: 'essen', by: 'essen' }]);
    expect(reply.errors).toEqual([expect.objectContaining({ path: ['_entities', 0], extensions: expect.objectContaining({ code: 'NOT_FOUND', city: 'nowhere' }) })]);
    expect(sent.map(({ id }) => id)).toEqual(['essen']);
  });
});

describe('a write', () => {
  const SUBMIT = 'mutation M($input: StaffFiguresInput!) { municipality(id: "duisburg") { submitStaffFigures(input: $input) { replayed } } }';

  it('goes as it is to the municipality its id names', async () => {
    const { sent, targets } = cities(() => ({ data: { municipality: { submitStaffFigures: { replayed: false } } } }));
    const request = { query: SUBMIT, variables: { input: { year: 2025 } } };
    expect(await routeByKey(request, targets)).toEqual({ data: { municipality: { submitStaffFigures: { replayed: false } } } });
    expect(sent).toEqual([{ id: 'duisburg', request }]);
  });

  it("names the municipality in each of its errors", async () => {
    const { targets } = cities(() => ({ data: { municipality: null }, errors: [{ message: 'database away', path: ['municipality'], extensions: { code: 'DATABASE_UNAVAILABLE' } }] }));
    const reply = await routeByKey({ query: SUBMIT, variables: { input: { year: 2025 } } }, targets);
    expect(reply.errors).toEqual([{ message: 'database away', path: ['municipality'], extensions: { code: 'DATABASE_UNAVAILABLE', city: 'duisburg' } }]);
  });

  it('takes the id from a variable', async () => {
    const { sent, targets } = cities(() => ({ data: { municipality: null } }));
    await routeByKey({ query: 'mutation ($city: ID!) { municipality(id: $city) { importFigures(csv: "") { accepted } } }', variables: { city: 'essen' } }, targets);
    expect(sent.map(({ id }) => id)).toEqual(['essen']);
  });

  it('for several municipalities runs one after the other in the order written, each with only the variables it uses', async () => {
    const order: string[] = [];
    const { sent, targets } = cities(async (id) => {
      order.push(`start ${id}`);
      await new Promise((resolve) => setTimeout(resolve, id === 'essen' ? 20 : 0));
      order.push(`end ${id}`);
      // Each field is aliased by its municipality's id below.
      return { data: { [id]: { submitStaffFigures: { replayed: false } } } };
    });
    const reply = await routeByKey(
      {
        query: `mutation ($a: StaffFiguresInput!, $b: StaffFiguresInput!) {
          essen: municipality(id: "essen") { submitStaffFigures(input: $a) { replayed } }
          bochum: municipality(id: "bochum") { ...Submit }
        }
        fragment Submit on MunicipalitySubmissions { submitStaffFigures(input: $b) { replayed } }`,
        variables: { a: { year: 2024 }, b: { year: 2025 } },
      },
      targets,
    );
    expect(order).toEqual(['start essen', 'end essen', 'start bochum', 'end bochum']);
    expect(reply.data).toEqual({ essen: { submitStaffFigures: { replayed: false } }, bochum: { submitStaffFigures: { replayed: false } } });
    const [toEssen, toBochum] = sent.map(({ request }) => parse(request.query));
    expect(JSON.stringify(toEssen)).not.toContain('"b"');
    expect(JSON.stringify(toBochum)).not.toContain('"a"');
    expect(JSON.stringify(toBochum)).toContain('Submit');
  });

  it('for an unknown municipality is null with NOT_FOUND, and the known ones still run', async () => {
    const { sent, targets } = cities((id) => ({ data: { [id]: { submitStaffFigures: { replayed: false } } } }));
    const reply = await routeByKey(
      { query: 'mutation { nowhere: municipality(id: "nowhere") { submitStaffFigures(input: {year: 2025}) { replayed } } essen: municipality(id: "essen") { submitStaffFigures(input: {year: 2025}) { replayed } } }' },
      targets,
    );
    expect(reply.data).toEqual({ nowhere: null, essen: { submitStaffFigures: { replayed: false } } });
    expect(reply.errors).toEqual([expect.objectContaining({ path: ['nowhere'], extensions: expect.objectContaining({ code: 'NOT_FOUND', city: 'nowhere' }) })]);
    expect(sent.map(({ id }) => id)).toEqual(['essen']);
  });

  it('without an id is refused and sent nowhere', async () => {
    const { sent, targets } = cities();
    const reply = await routeByKey({ query: 'mutation ($city: ID) { municipality(id: $city) { importFigures(csv: "") { accepted } } }', variables: {} }, targets);
    expect(reply.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST', field: 'id' } })]);
    expect(sent).toEqual([]);
  });
});

describe('members behind one endpoint (a regional hub)', () => {
  const HUB = { bochum: 'hub', essen: 'hub' };

  it('are asked in one call with all their representations, and the answers go back in the order asked', async () => {
    const { sent, targets } = cities(undefined, HUB);
    const reply = await routeByKey({ query: ENTITIES, variables: { representations: representations('essen', 'duisburg', 'bochum', 'essen') } }, targets);
    expect(reply.errors).toBeUndefined();
    expect(reply.data!._entities).toEqual([
      { id: 'essen', by: 'essen+bochum' },
      { id: 'duisburg', by: 'duisburg' },
      { id: 'bochum', by: 'essen+bochum' },
      { id: 'essen', by: 'essen+bochum' },
    ]);
    expect(sentRepresentations(sent)).toEqual([
      ['duisburg', ['duisburg']],
      ['essen+bochum', ['essen', 'bochum', 'essen']],
    ]);
  });

  it("get each its own error where the hub's answer names an entry, at that entry's place in the whole request", async () => {
    const { targets } = cities(
      (id, request) => ({
        data: { _entities: (request.variables!.representations as unknown[]).map(() => ({ id })) },
        errors: id.includes('+') ? [{ message: 'database away', path: ['_entities', 1, 'staff'], extensions: { code: 'DATABASE_UNAVAILABLE' } }] : undefined,
      }),
      HUB,
    );
    const reply = await routeByKey({ query: ENTITIES, variables: { representations: representations('essen', 'duisburg', 'bochum') } }, targets);
    expect(reply.errors).toEqual([{ message: 'database away', path: ['_entities', 2, 'staff'], extensions: { code: 'DATABASE_UNAVAILABLE', city: 'bochum' } }]);
  });

  it('are each named unavailable when the hub does not answer, each at its first entry, and the others answer', async () => {
    const { targets } = cities(
      (id, request) =>
        id.includes('+')
          ? { data: null, errors: [{ message: 'the hub is unavailable', extensions: { code: 'CITY_UNAVAILABLE' } }] }
          : { data: { _entities: (request.variables!.representations as unknown[]).map(() => ({ id })) } },
      HUB,
    );
    const reply = await routeByKey({ query: ENTITIES, variables: { representations: representations('bochum', 'duisburg', 'essen', 'bochum') } }, targets);
    expect(reply.data!._entities).toEqual([null, { id: 'duisburg' }, null, null]);
    expect(reply.errors).toEqual([
      { message: 'the hub is unavailable', path: ['_entities', 0], extensions: { code: 'CITY_UNAVAILABLE', city: 'bochum' } },
      { message: 'the hub is unavailable', path: ['_entities', 2], extensions: { code: 'CITY_UNAVAILABLE', city: 'essen' } },
    ]);
  });

  it("keep a hub's error that names one of them at that member's first entry only", async () => {
    const { targets } = cities(
      (id, request) =>
        id.includes('+')
          ? { data: { _entities: [{ id: 'bochum' }, null] }, errors: [{ message: 'Essen is unavailable', extensions: { code: 'CITY_UNAVAILABLE', city: 'essen' } }] }
          : { data: { _entities: (request.variables!.representations as unknown[]).map(() => ({ id })) } },
      HUB,
    );
    const reply = await routeByKey({ query: ENTITIES, variables: { representations: representations('bochum', 'duisburg', 'essen') } }, targets);
    expect(reply.data!._entities).toEqual([{ id: 'bochum' }, { id: 'duisburg' }, null]);
    expect(reply.errors).toEqual([{ message: 'Essen is unavailable', path: ['_entities', 2], extensions: { code: 'CITY_UNAVAILABLE', city: 'essen' } }]);
  });
});

describe('anything else', () => {
  it('is refused: a municipality is asked through _entities only', async () => {
    const { sent, targets } = cities();
    const reply = await routeByKey({ query: '{ __typename }' }, targets);
    expect(reply.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
    expect(sent).toEqual([]);
  });

  it('answers _service with the SDL it is given, as a subgraph does', async () => {
    const { targets } = cities();
    expect(await routeByKey({ query: '{ _service { sdl } }' }, targets, () => 'type Municipality')).toEqual({ data: { _service: { sdl: 'type Municipality' } } });
  });
});
