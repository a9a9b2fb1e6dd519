import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { errorExtensions } from '../error-codes';

/**
 * Routing by key: the one city subgraph of the supergraph is served by as many services as the forum has members,
 * each answering for its own municipality. A request for the city subgraph is split by municipality id, each part
 * sent to that municipality's service (all in parallel for reads, one after the other for writes), and the answers
 * merged as if one service had given them. Used by the gateway in-process and by the standalone member router
 * (docs/routing.md); it knows nothing of HTTP, credentials or the directory's source.
 */

/** One GraphQL request towards a subgraph. */
export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** A subgraph's answer, or what stands in for it when the service did not answer. */
export interface SubgraphReply {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

export interface RouteTargets {
  /** Whether `id` names a member municipality the directory can route to. */
  knows(id: string): boolean;
  /**
   * Where `id`'s service is reached. Members reached at one address (a regional hub in front of them, or a host that
   * serves several) are asked in one call with all their representations, not one call each.
   */
  endpointOf(id: string): string;
  /**
   * Sends a part of the request to the service that answers for `members` (one member, or several that share an
   * endpoint). A service that does not answer is reported in the reply's errors (CITY_UNAVAILABLE with
   * `extensions.city`), never thrown: the other parts still count. An error that names no member of several stands
   * for each of them.
   */
  send(members: readonly string[], request: SubgraphRequest): Promise<SubgraphReply>;
}

/** The fields the router answers itself; every other root field is a municipality's. */
const ENTITIES_FIELD = '_entities';
const SERVICE_FIELD = '_service';
/** The root mutation field that carries the municipality's id as its `id` argument. */
const ROUTED_MUTATION_FIELD = 'municipality';

const parsed = new Map<string, DocumentNode>();
const PARSED_KEPT = 500;

/** Query plans repeat the same few fetch documents, so each is parsed once (a bounded, oldest-first cache). */
function parseOnce(query: string): DocumentNode {
  let document = parsed.get(query);
  if (!document) {
    document = parse(query);
    if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value!);
    parsed.set(query, document);
  }
  return document;
}

function operationOf(document: DocumentNode, operationName?: string): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((operation) => operation.name?.value === operationName) : operations[0];
}

function refused(message: string, field?: string): SubgraphReply {
  return { data: null, errors: [{ message, extensions: errorExtensions('BAD_REQUEST', field ? { field } : {}) }] };
}

/**
 * Routes one request for the city subgraph. An `_entities` fetch is split by each representation's `id` (several in
 * one request, each under its own alias, are routed each on its own); a mutation's `municipality(id:)` fields go to
 * the service of their id, one after the other in the order written.
 * `serviceSdl` answers `_service { sdl }` (the router speaks the subgraph protocol itself).
 */
export async function routeByKey(request: SubgraphRequest, targets: RouteTargets, serviceSdl?: () => string): Promise<SubgraphReply> {
  let document: DocumentNode;
  try {
    document = parseOnce(request.query);
  } catch (error) {
    return { errors: [{ message: (error as Error).message, extensions: errorExtensions('GRAPHQL_PARSE_FAILED') }] };
  }
  const operation = operationOf(document, request.operationName);
  if (!operation) return refused('The request holds no operation of that name.');
  const rootFields = operation.selectionSet.selections;
  if (operation.operation === 'mutation') return routeMutation(document, operation, request, targets);
  const names = rootFields.map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : undefined));
  if (serviceSdl && names.length > 0 && names.every((name) => name === SERVICE_FIELD)) {
    return { data: Object.fromEntries(rootFields.map((field) => [responseKey(field as FieldNode), { sdl: serviceSdl() }])) };
  }
  if (names.length === 0 || names.some((name) => name !== ENTITIES_FIELD)) {
    return refused(`A municipality's service is asked through ${ENTITIES_FIELD} only; this request asks ${names.join(', ') || 'nothing'}.`);
  }
  const fields = rootFields as FieldNode[];
  if (fields.length === 1) return routeEntities(fields[0]!, request, targets);
  // Several entity fetches in one request, each under an alias with representations of its own (Hive Gateway batches
  // its fetches to one subgraph so): each is routed on its own, all at once, and their answers put side by side.
  const replies = await Promise.all(
    fields.map((field) => {
      const single = singleFieldDocument(document, operation, field);
      const used = new Set(operationOf(single)!.variableDefinitions?.map((definition) => definition.variable.name.value));
      const variables = Object.fromEntries(Object.entries(request.variables ?? {}).filter(([name]) => used.has(name)));
      return routeEntities(field, { query: print(single), variables, ...(request.operationName ? { operationName: request.operationName } : {}) }, targets);
    }),
  );
  const errors = replies.flatMap((reply) => reply.errors ?? []);
  return { data: Object.assign({}, ...replies.map((reply) => reply.data)) as Record<string, unknown>, ...(errors.length > 0 ? { errors } : {}) };
}

function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

/**
 * Splits the representations of one `_entities` field by where each municipality is reached, asks every endpoint at
 * once, and puts the answers back in place. The representations are a variable (`$representations`, as gateways send
 * them).
 */
async function routeEntities(field: FieldNode, request: SubgraphRequest, targets: RouteTargets): Promise<SubgraphReply> {
  const key = responseKey(field);
  const argument = field.arguments?.find((candidate) => candidate.name.value === 'representations')?.value;
  const variable = argument?.kind === Kind.VARIABLE ? argument.name.value : undefined;
  const representations = variable === undefined ? undefined : request.variables?.[variable];
  if (variable === undefined || !Array.isArray(representations)) {
    return refused('An _entities request needs its representations as a variable, e.g. $representations.', 'representations');
  }
  const merged: unknown[] = new Array<unknown>(representations.length).fill(null);
  const errors: GraphQLFormattedError[] = [];
  const parts = new Map<string, EndpointPart>();
  representations.forEach((representation, position) => {
    const id = (representation as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && targets.knows(id)) {
      const endpoint = targets.endpointOf(id);
      let part = parts.get(endpoint);
      if (!part) parts.set(endpoint, (part = { members: [], firstPositions: new Map(), positions: [] }));
      if (!part.firstPositions.has(id)) {
        part.members.push(id);
        part.firstPositions.set(id, position);
      }
      part.positions.push(position);
    } else {
      errors.push({
        message: `No member municipality "${String(id)}".`,
        path: [key, position],
        extensions: errorExtensions('NOT_FOUND', { field: 'id', ...(typeof id === 'string' ? { city: id } : {}) }),
      });
    }
  });
  const replies = await Promise.all(
    [...parts.values()].map(async (part) => {
      const sent = { ...request, variables: { ...request.variables, [variable]: part.positions.map((position) => representations[position]) } };
      return { part, reply: await targets.send(part.members, sent) };
    }),
  );
  for (const { part, reply } of replies) {
    const answered = reply.data?.[key];
    if (Array.isArray(answered)) part.positions.forEach((position, index) => (merged[position] = answered[index] ?? null));
    for (const error of reply.errors ?? []) errors.push(...repathed(error, part, key, representations));
  }
  return { data: { [key]: merged }, ...(errors.length > 0 ? { errors } : {}) };
}

/** The representations sent to one endpoint: for which members, and where each stands in the whole request. */
interface EndpointPart {
  /** The members asked, in the order of their first representation. */
  members: string[];
  /** Each member's first position in the whole request. */
  firstPositions: Map<string, number>;
  /** The position in the whole request of each representation sent, in the order sent. */
  positions: number[];
}

/**
 * An endpoint's error, as if one service had given it: `_entities.<its index>` becomes the index in the whole request,
 * and it names the municipality (`extensions.city`) so that the gateway can say who is missing. An error without a
 * path (the service did not answer) is placed at the first entry of the member it names, or, naming none of several
 * (a hub in front of them did not answer), given once for each of them at its first entry.
 */
function repathed(error: GraphQLFormattedError, part: EndpointPart, key: string, representations: readonly unknown[]): GraphQLFormattedError[] {
  const [root, index, ...rest] = error.path ?? [];
  const position = root === key && typeof index === 'number' ? part.positions[index] : undefined;
  if (position !== undefined) {
    const id = (representations[position] as { id: string }).id;
    return [{ ...naming(error, id), path: [key, position, ...rest] }];
  }
  const named = error.extensions?.city;
  if (typeof named === 'string' && part.firstPositions.has(named)) return [{ ...error, path: [key, part.firstPositions.get(named)!] }];
  // It names none of the part's members: it stands for each of them, named.
  return part.members.map((id) => ({ ...error, path: [key, part.firstPositions.get(id)!], extensions: { ...error.extensions, city: id } }));
}

/**
 * Mutations run in the order written (GraphQL's rule for mutations). Fields for one municipality go as they are;
 * fields for several go one after the other, each on its own, and the next waits for the one before.
 */
async function routeMutation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  request: SubgraphRequest,
  targets: RouteTargets,
): Promise<SubgraphReply> {
  const routed: Array<{ field: FieldNode; id: string }> = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== ROUTED_MUTATION_FIELD) {
      return refused(`A municipality's writes are asked as ${ROUTED_MUTATION_FIELD}(id: ...) { ... }; nothing was written.`);
    }
    const id = idArgument(selection, request.variables);
    if (id === undefined) return refused(`${ROUTED_MUTATION_FIELD}(id:) needs the municipality's id; nothing was written.`, 'id');
    routed.push({ field: selection, id });
  }
  const unknown = routed.find(({ id }) => !targets.knows(id));
  if (routed.every(({ id }) => id === routed[0]?.id) && !unknown) {
    const id = routed[0]!.id;
    const reply = await targets.send([id], request);
    return reply.errors ? { ...reply, errors: reply.errors.map((error) => naming(error, id)) } : reply;
  }

  const data: Record<string, unknown> = {};
  const errors: GraphQLFormattedError[] = [];
  for (const { field, id } of routed) {
    const key = responseKey(field);
    if (!targets.knows(id)) {
      data[key] = null;
      errors.push({ message: `No member municipality "${id}".`, path: [key], extensions: errorExtensions('NOT_FOUND', { field: 'id', city: id }) });
      continue;
    }
    const reply = await targets.send([id], { ...request, query: print(singleFieldDocument(document, operation, field)) });
    data[key] = reply.data?.[key] ?? null;
    for (const error of reply.errors ?? []) errors.push({ ...naming(error, id), path: error.path ?? [key] });
  }
  return { data, ...(errors.length > 0 ? { errors } : {}) };
}

/** A municipality's error names it (`extensions.city`), so that the gateway can say who is missing. */
function naming(error: GraphQLFormattedError, id: string): GraphQLFormattedError {
  return { ...error, extensions: { ...error.extensions, city: error.extensions?.city ?? id } };
}

function idArgument(field: FieldNode, variables: Record<string, unknown> | undefined): string | undefined {
  const value = field.arguments?.find((argument) => argument.name.value === 'id')?.value;
  if (value?.kind === Kind.STRING) return value.value;
  if (value?.kind === Kind.VARIABLE) {
    const given = variables?.[value.name.value];
    return typeof given === 'string' ? given : undefined;
  }
  return undefined;
}

/** The operation with one of its root fields, the fragments that field uses and only the variables it reads. */
function singleFieldDocument(document: DocumentNode, operation: OperationDefinitionNode, field: FieldNode): DocumentNode {
  const fragments = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const collect = (node: SelectionNode | FragmentDefinitionNode) =>
    visit(node, {
      Variable: (variable) => void usedVariables.add(variable.name.value),
      FragmentSpread: (spread) => {
        if (usedFragments.has(spread.name.value)) return;
        usedFragments.add(spread.name.value);
        const fragment = fragments.get(spread.name.value);
        if (fragment) collect(fragment);
      },
    });
  collect(field);
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...operation,
        variableDefinitions: operation.variableDefinitions?.filter((definition) => usedVariables.has(definition.variable.name.value)),
        selectionSet: { ...operation.selectionSet, selections: [field] },
      },
      ...[...usedFragments].flatMap((name) => (fragments.has(name) ? [fragments.get(name)!] : [])),
    ],
  };
}
