import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ROLES } from '../../services/common/auth/viewer';
import { fromProjectRoot } from '../../services/common/project-root';
import { loadRegistry } from '../../services/common/registry';
import { dashboardRedirects } from '../../services/tools/identity-provider/config';

/**
 * No Keycloak image can be pulled here, so this checks that the realm file docker-compose.yml imports
 * (schema/keycloak/forum-realm.json) and the hub's settings there agree: the dashboard's client id and redirect URIs,
 * the role names, and the claims the gateway reads roles, city and audience from.
 */
interface RealmClient {
  clientId: string;
  publicClient?: boolean;
  standardFlowEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  webOrigins?: string[];
  attributes?: Record<string, string>;
  defaultClientScopes?: string[];
}
interface Mapper {
  protocolMapper: string;
  config: Record<string, string>;
}
interface Realm {
  realm: string;
  roles: { realm: Array<{ name: string }> };
  clients: RealmClient[];
  clientScopes: Array<{ name: string; protocolMappers: Mapper[] }>;
  users: Array<{ username: string; realmRoles: string[]; attributes?: Record<string, string[]>; serviceAccountClientId?: string }>;
}

const realm = JSON.parse(readFileSync(fromProjectRoot('schema', 'keycloak', 'forum-realm.json'), 'utf8')) as Realm;
const compose = parse(readFileSync(fromProjectRoot('docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string>; ports?: string[]; volumes?: string[] }> };
const gateway = compose.services.gateway!.environment!;
const dashboard = realm.clients.find((client) => client.clientId === gateway.DASHBOARD_OIDC_CLIENT_ID);
const gatewayOrigin = `http://localhost:${compose.services.gateway!.ports![0]!.split(':')[0]}`;
const mappers = realm.clientScopes.filter((scope) => dashboard?.defaultClientScopes?.includes(scope.name)).flatMap((scope) => scope.protocolMappers);

it('is the realm the hub trusts, imported by docker-compose.yml', () => {
  expect(gateway.AUTH_ISSUER).toBe(`http://localhost:8080/realms/${realm.realm}`);
  expect(gateway.AUTH_JWKS_URL).toBe(`http://keycloak:8080/realms/${realm.realm}/protocol/openid-connect/certs`);
  expect(compose.services.keycloak!.volumes).toContain('./schema/keycloak/forum-realm.json:/opt/keycloak/data/import/forum-realm.json:ro');
  for (const service of ['forum', 'router-coprocessor']) expect(compose.services[service]!.environment).toMatchObject({ AUTH_ISSUER: gateway.AUTH_ISSUER, AUTH_JWKS_URL: gateway.AUTH_JWKS_URL });
});

it("has the dashboard's client: public, authorization code with PKCE, the gateway's redirect URIs", () => {
  expect(dashboard).toMatchObject({ publicClient: true, standardFlowEnabled: true });
  expect(dashboard!.attributes!['pkce.code.challenge.method']).toBe('S256');
  const redirects = dashboardRedirects(gatewayOrigin);
  expect(dashboard!.redirectUris).toContain(redirects.signIn);
  expect(dashboard!.attributes!['post.logout.redirect.uris']!.split('##')).toContain(redirects.signOut);
  expect(dashboard!.webOrigins).toContain(gatewayOrigin);
});

it('has a confidential client for scripts (client credentials)', () => {
  expect(realm.clients.find((client) => client.clientId === 'scripts')).toMatchObject({ publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false });
});

it("names the hub's roles as realm roles, where the gateway reads them", () => {
  expect(realm.roles.realm.map((role) => role.name).sort()).toEqual([...ROLES].sort());
  // Keycloak puts realm roles in realm_access.roles of the access token (its built-in "roles" scope).
  expect(gateway.AUTH_ROLES_CLAIM).toBe('realm_access.roles');
  expect(dashboard!.defaultClientScopes).toContain('roles');
});

it("maps the city attribute to the claim the gateway reads, and the hub's audience into the access token", () => {
  const city = mappers.find((mapper) => mapper.protocolMapper === 'oidc-usermodel-attribute-mapper' && mapper.config['user.attribute'] === 'city');
  expect(city?.config).toMatchObject({ 'claim.name': gateway.AUTH_CITY_CLAIM, 'access.token.claim': 'true' });
  const audience = mappers.find((mapper) => mapper.protocolMapper === 'oidc-audience-mapper');
  expect(audience?.config).toMatchObject({ 'included.custom.audience': gateway.AUTH_AUDIENCE, 'access.token.claim': 'true' });
});

it('has one demo user per role, the hr user with a member city', () => {
  const cities = new Set(loadRegistry().members.map((member) => member.id));
  const people = realm.users.filter((user) => !user.serviceAccountClientId);
  for (const role of ROLES) expect(people.filter((user) => user.realmRoles.includes(role)).length).toBeGreaterThanOrEqual(1);
  for (const user of people.filter((candidate) => candidate.realmRoles.includes('hr'))) expect(cities.has(user.attributes?.city?.[0] ?? '')).toBe(true);
});
