import { readGatewayConfig, readSubgraphSettings } from '../../gateway/config';
import { readCityConfig } from '../../services/city/config';
import { ConfigError } from '../../services/common/config';
import { findMember, loadRegistry } from '../../services/common/registry';

const duisburg = findMember(loadRegistry(), 'duisburg');

describe('city configuration', () => {
  it("defaults to the registry's port and the city's own schema", () => {
    const config = readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db:5432/hub' });
    expect(config).toMatchObject({ port: duisburg.port, host: '127.0.0.1', demoData: false, database: { url: 'postgres://u@db:5432/hub', schema: 'city_duisburg' } });
  });

  it("prefers the city's own database", () => {
    const config = readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/shared', DATABASE_URL_DUISBURG: 'postgres://u@duisburg-db/hr' });
    expect(config.database.url).toBe('postgres://u@duisburg-db/hr');
  });

  it('limits connecting to 5 s and each statement to 30 s unless told otherwise', () => {
    expect(readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub' }).database).toMatchObject({ connectTimeoutMs: 5000, queryTimeoutMs: 30000 });
    const config = readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', DATABASE_CONNECT_TIMEOUT_MS: '1500', DATABASE_QUERY_TIMEOUT_MS: '2500' });
    expect(config.database).toMatchObject({ connectTimeoutMs: 1500, queryTimeoutMs: 2500 });
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', DATABASE_QUERY_TIMEOUT_MS: '0' })).toThrow(/DATABASE_QUERY_TIMEOUT_MS="0"/);
  });

  it("takes the schema owner's connection from the city's own variable, else the shared one", () => {
    expect(readCityConfig(duisburg, { DATABASE_URL: 'postgres://app@db/hub' }).database.ownerUrl).toBeUndefined();
    expect(readCityConfig(duisburg, { DATABASE_URL: 'postgres://app@db/hub', DATABASE_OWNER_URL: 'postgres://owner@db/hub' }).database.ownerUrl).toBe('postgres://owner@db/hub');
    const own = readCityConfig(duisburg, { DATABASE_URL: 'postgres://app@db/hub', DATABASE_OWNER_URL: 'postgres://o@db/hub', DATABASE_OWNER_URL_DUISBURG: 'postgres://d@db/hub' });
    expect(own.database.ownerUrl).toBe('postgres://d@db/hub');
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://app@db/hub', DATABASE_OWNER_URL_DUISBURG: 'owner' })).toThrow(/DATABASE_OWNER_URL_DUISBURG="owner"/);
  });

  it('accepts a prefix for the role names it makes, within what PostgreSQL keeps of a name', () => {
    expect(readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', DATABASE_ROLE_PREFIX: 'hub_test' }).database.rolePrefix).toBe('hub_test');
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', DATABASE_ROLE_PREFIX: 'Hub-Test' })).toThrow(/DATABASE_ROLE_PREFIX="Hub-Test"/);
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', DATABASE_ROLE_PREFIX: 'x'.repeat(41) })).toThrow(/DATABASE_ROLE_PREFIX/);
  });

  it('stops with a message naming the variable', () => {
    expect(() => readCityConfig(duisburg, {})).toThrow(/DATABASE_URL: required \(or DATABASE_URL_DUISBURG/);
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL="mysql:\/\/x": expected a PostgreSQL URL/);
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://x', PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://x', DEMO_DATA: 'maybe' })).toThrow(/DEMO_DATA="maybe"/);
  });
});

describe('gateway configuration', () => {
  it('times each subgraph out after 3 s unless told otherwise', () => {
    expect(readGatewayConfig({}).subgraphTimeoutMs).toBe(3000);
    const settings = readSubgraphSettings(['forum', 'duisburg'], 3000, { SUBGRAPH_TIMEOUT_MS_DUISBURG: '5000', SUBGRAPH_URL_DUISBURG: 'http://duisburg.example:4103/graphql' });
    expect(settings('duisburg')).toEqual({ timeoutMs: 5000, url: 'http://duisburg.example:4103/graphql' });
    expect(settings('forum')).toEqual({ timeoutMs: 3000, url: undefined });
  });

  it('stops calling a subgraph after 3 calls found it unavailable, for 5 s, unless told otherwise; 0 turns that off', () => {
    expect(readGatewayConfig({}).breaker).toEqual({ failures: 3, cooldownMs: 5000 });
    // A dashboard page says how old cached figures are from a minute on.
    expect(readGatewayConfig({}).dashboardAgeNoticeSeconds).toBe(60);
    expect(readGatewayConfig({ DASHBOARD_AGE_NOTICE_SECONDS: '1' }).dashboardAgeNoticeSeconds).toBe(1);
    expect(readGatewayConfig({ SUBGRAPH_BREAKER_FAILURES: '0' }).breaker.failures).toBe(0);
    expect(readGatewayConfig({ SUBGRAPH_BREAKER_FAILURES: '5', SUBGRAPH_BREAKER_COOLDOWN_MS: '0' }).breaker).toEqual({ failures: 5, cooldownMs: 0 });
    expect(() => readGatewayConfig({ SUBGRAPH_BREAKER_FAILURES: '-1' })).toThrow(/SUBGRAPH_BREAKER_FAILURES/);
    expect(() => readGatewayConfig({ SUBGRAPH_BREAKER_COOLDOWN_MS: 'soon' })).toThrow(/SUBGRAPH_BREAKER_COOLDOWN_MS/);
  });

  it('refuses a setting for a subgraph that does not exist', () => {
    expect(() => readSubgraphSettings(['forum', 'duisburg'], 3000, { SUBGRAPH_URL_DUISBRUG: 'http://x/graphql' })).toThrow(
      /SUBGRAPH_URL_DUISBRUG: names no subgraph; known: FORUM, DUISBURG/,
    );
  });

  it('keeps the response cache and the rate-limit counts in its own memory unless REDIS_URL names a Redis server', () => {
    expect(readGatewayConfig({}).sharedState).toBeUndefined();
    expect(readGatewayConfig({ REDIS_KEY_PREFIX: 'hub-a:' }).sharedState).toBeUndefined();
    expect(readGatewayConfig({ REDIS_URL: 'redis://redis:6379' }).sharedState).toEqual({ redisUrl: 'redis://redis:6379', keyPrefix: 'integration-forum-hub:' });
    expect(readGatewayConfig({ REDIS_URL: 'rediss://user:secret@redis.example:6380/2', REDIS_KEY_PREFIX: 'hub-a:' }).sharedState).toEqual({
      redisUrl: 'rediss://user:secret@redis.example:6380/2',
      keyPrefix: 'hub-a:',
    });
  });

  it('refuses a REDIS_URL that is not a Redis URL, and an empty key prefix', () => {
    expect(() => readGatewayConfig({ REDIS_URL: 'http://redis:6379' })).toThrow(/REDIS_URL="http:\/\/redis:6379": expected a Redis URL/);
    expect(() => readGatewayConfig({ REDIS_URL: '127.0.0.1:6379' })).toThrow(/REDIS_URL="127.0.0.1:6379"/);
    expect(() => readGatewayConfig({ REDIS_URL: 'redis://redis:6379', REDIS_KEY_PREFIX: '' })).toThrow(/REDIS_KEY_PREFIX=""/);
  });

  it('refuses an address that is not http(s) and a timeout that is not positive', () => {
    expect(() => readSubgraphSettings(['duisburg'], 3000, { SUBGRAPH_URL_DUISBURG: 'duisburg:4103' })).toThrow(/expected an http\(s\) URL/);
    expect(() => readSubgraphSettings(['duisburg'], 3000, { SUBGRAPH_TIMEOUT_MS_DUISBURG: '0' })).toThrow(/expected milliseconds > 0/);
  });
});

describe('who may write, and over what (subgraphs)', () => {
  it('remembers used write credentials in the process unless REDIS_URL names a Redis server', () => {
    expect(readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub' }).usedCredentials).toEqual({ redisUrl: undefined, keyPrefix: 'integration-forum-hub:' });
    const shared = readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', REDIS_URL: 'redis://redis:6379', REDIS_KEY_PREFIX: 'hub-a:' });
    expect(shared.usedCredentials).toEqual({ redisUrl: 'redis://redis:6379', keyPrefix: 'hub-a:' });
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', REDIS_URL: 'http://redis:6379' })).toThrow(/REDIS_URL="http:\/\/redis:6379": expected a Redis URL/);
  });

  it('speaks plain HTTP without TLS_*, and refuses half a mutual TLS set-up or a file it cannot read', () => {
    expect(readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub' }).server).toEqual({ tls: undefined, healthPort: undefined });
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', TLS_CERT_FILE: __filename, TLS_KEY_FILE: __filename })).toThrow(
      /TLS_CLIENT_CA_FILE: required with TLS_CERT_FILE, TLS_KEY_FILE/,
    );
    expect(() =>
      readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', TLS_CERT_FILE: __filename, TLS_KEY_FILE: __filename, TLS_CLIENT_CA_FILE: '/nowhere/ca.crt' }),
    ).toThrow(/TLS_CLIENT_CA_FILE="\/nowhere\/ca.crt": cannot be read \(ENOENT\)/);
    expect(() => readCityConfig(duisburg, { DATABASE_URL: 'postgres://u@db/hub', HEALTH_PORT: 'x' })).toThrow(/HEALTH_PORT="x"/);
  });

  it('gives the gateway a client certificate only with its key', () => {
    expect(readGatewayConfig({}).subgraphTls).toBeUndefined();
    expect(() => readGatewayConfig({ SUBGRAPH_TLS_CERT_FILE: __filename })).toThrow(/SUBGRAPH_TLS_KEY_FILE: required with SUBGRAPH_TLS_CERT_FILE/);
    const tls = readGatewayConfig({ SUBGRAPH_TLS_CA_FILE: __filename, SUBGRAPH_TLS_CERT_FILE: __filename, SUBGRAPH_TLS_KEY_FILE: __filename }).subgraphTls!;
    // The public CAs stay trusted beside the hub's, for cities whose proxies present public certificates.
    expect(tls.ca!.length).toBeGreaterThan(100);
    expect(tls.cert).toBeInstanceOf(Buffer);
  });
});
