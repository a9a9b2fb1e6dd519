import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { envSuffix } from '../../services/common/registry';
import { METRICS_TOKEN } from './federation';
import { ROOT, ServiceProcess, distScript } from './processes';
import { signToken } from './tokens';

/**
 * The standalone member router (`npm run router`) as a process of its own, as deployed: the city subgraph at one
 * address, in front of the cities `SUBGRAPH_URL_<ID>` or the registry's `endpoint`s name (docs/routing.md).
 */
export function startMemberRouter(name: string, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  return ServiceProcess.start(name, distScript('services', 'router', 'main.js'), [], {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    METRICS_TOKEN,
    ...env,
  });
}

/** Where a hub (gateway or router) serves the public key of the credentials it signs. */
export function jwksUrl(service: ServiceProcess): string {
  return new URL('/.well-known/jwks.json', service.url).toString();
}

/** `SUBGRAPH_URL_<ID>` for each of the given services, by city id: where a hub finds them. */
export function addressesOf(services: Record<string, ServiceProcess>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(services).map(([id, service]) => [`SUBGRAPH_URL_${envSuffix(id)}`, service.url]));
}

/**
 * A copy of the checked-in registry: only the members `only` names (a regional hub's), if given, and the members
 * `endpoints` names reached at other addresses (the registry's `endpoint`: another hub's router in front of them).
 */
export function membersFile(options: { only?: readonly string[]; endpoints?: Record<string, string> }): string {
  const registry = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'members.json'), 'utf8')) as { members: Array<{ id: string; endpoint?: string }> };
  if (options.only) registry.members = registry.members.filter((member) => options.only!.includes(member.id));
  for (const member of registry.members) if (options.endpoints?.[member.id]) member.endpoint = options.endpoints[member.id];
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ifh-members-')), 'members.json');
  writeFileSync(file, JSON.stringify(registry, null, 2));
  return file;
}

/** Who a hub's credential speaks for (the claims the gateway passes on); anonymous unless given. */
export interface ViewerClaims {
  sub: string;
  name?: string;
  roles: string[];
  city?: string;
  locale?: 'de' | 'en';
}

const ANONYMOUS_CLAIMS: ViewerClaims = { sub: 'anonymous', roles: [], locale: 'en' };

/**
 * A read credential as a hub signs it with `keyFile` for `audience`, for calls straight to a router or a city. Made
 * with node:crypto alone (tokens.ts), as the other tests make the gateway's.
 */
export function hubCredential(keyFile: string, audience: string | readonly string[], viewer: ViewerClaims = ANONYMOUS_CLAIMS): string {
  return signToken(keyFile, { ...viewer }, { issuer: 'integration-forum-hub/gateway', audience, expiresIn: 30 });
}

/**
 * A write credential for exactly this operation, once: SHA-256 over the JSON of the operation with its keys in sorted
 * order, as docs/security.md defines it (so the variables must be written with their keys in sorted order, too).
 */
export function hubWriteCredential(keyFile: string, audience: string, viewer: ViewerClaims, operation: { query: string; variables: Record<string, unknown> }): string {
  const digest = createHash('sha256').update(JSON.stringify({ operationName: null, query: operation.query, variables: operation.variables })).digest('base64url');
  return signToken(keyFile, { ...viewer, jti: randomUUID(), operation_sha256: digest }, { issuer: 'integration-forum-hub/gateway', audience, expiresIn: 30 });
}

/** One subgraph request with a hub's credential, as a gateway sends it. */
export async function subgraphRequest(
  url: string,
  credential: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; headers: Headers; body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as never };
}

/** The `_entities` fetch a Federation gateway sends the city subgraph for these municipalities. */
export const MUNICIPALITY_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Municipality { id staffSeries(from: 2020, to: 2024) { year headcount share } } }
}`;

export function municipalityRepresentations(...ids: string[]): { representations: Array<{ __typename: 'Municipality'; id: string }> } {
  return { representations: ids.map((id) => ({ __typename: 'Municipality' as const, id })) };
}
