/**
 * Who may share cached answers (gateway/plugins/use-response-cache.ts): exactly the viewers the subgraphs cannot tell apart
 * (services/common/auth/access.ts decides by roles and, for hr, the city), reading in the same language; what is
 * never cached, and what only briefly.
 */
import { parse } from 'graphql';
import { cacheAudience, missesOnlyCities, readsWhatChangesWithoutCommit } from '../../gateway/plugins/use-response-cache';
import { readGatewayConfig } from '../../gateway/config';
import { ANONYMOUS, type Role, type Viewer } from '../../services/common/auth/viewer';

const viewer = (roles: Role[], city: string | null = null, locale: 'de' | 'en' = 'de', subject = 'someone'): Viewer => ({
  subject,
  name: subject,
  roles: new Set(roles),
  city,
  locale,
});

it('gives viewers with the same roles, city and language the same audience, whoever they are', () => {
  expect(cacheAudience(viewer(['member'], null, 'de', 'a'))).toBe(cacheAudience(viewer(['member'], null, 'de', 'b')));
  expect(cacheAudience(viewer(['hr', 'member'], 'duisburg'))).toBe(cacheAudience(viewer(['member', 'hr'], 'duisburg')));
});

it('keeps apart every difference the subgraphs can see', () => {
  const audiences = [
    cacheAudience({ ...ANONYMOUS, locale: 'de' }),
    cacheAudience({ ...ANONYMOUS, locale: 'en' }),
    cacheAudience(viewer(['member'])),
    cacheAudience(viewer(['hr'], 'duisburg')),
    cacheAudience(viewer(['hr'], 'bochum')),
    cacheAudience(viewer(['hr', 'member'], 'duisburg')),
    cacheAudience(viewer(['admin'])),
  ];
  expect(new Set(audiences).size).toBe(audiences.length);
});

it('a city claim without the hr role changes nothing the subgraphs decide by', () => {
  expect(cacheAudience(viewer(['member'], 'duisburg'))).toBe(cacheAudience(viewer(['member'])));
});

it('caches for 30 s by default, answers missing a city for 5 s; 0 turns it off', () => {
  expect(readGatewayConfig({}).responseCache).toEqual({ ttlMs: 30_000, partialTtlMs: 5_000, maxBytes: 64 * 1024 * 1024 });
  expect(readGatewayConfig({ RESPONSE_CACHE_TTL_MS: '0' }).responseCache).toMatchObject({ ttlMs: 0, partialTtlMs: 0 });
  expect(() => readGatewayConfig({ RESPONSE_CACHE_TTL_MS: '-1' })).toThrow(/RESPONSE_CACHE_TTL_MS/);
});

it('keeps answers missing a city as long as told, never longer than complete ones; 0 keeps none', () => {
  expect(readGatewayConfig({ RESPONSE_CACHE_PARTIAL_TTL_MS: '2000' }).responseCache.partialTtlMs).toBe(2_000);
  expect(readGatewayConfig({ RESPONSE_CACHE_PARTIAL_TTL_MS: '0' }).responseCache.partialTtlMs).toBe(0);
  expect(readGatewayConfig({ RESPONSE_CACHE_TTL_MS: '3000', RESPONSE_CACHE_PARTIAL_TTL_MS: '10000' }).responseCache.partialTtlMs).toBe(3_000);
  expect(() => readGatewayConfig({ RESPONSE_CACHE_PARTIAL_TTL_MS: '-1' })).toThrow(/RESPONSE_CACHE_PARTIAL_TTL_MS/);
});

it('keeps an answer only when its every error is a missing city', () => {
  const missing = (city: string) => ({ message: `${city} missing`, extensions: { code: 'CITY_UNAVAILABLE', city } });
  expect(missesOnlyCities([missing('essen'), missing('herne')])).toBe(true);
  expect(missesOnlyCities(undefined)).toBe(false);
  expect(missesOnlyCities([])).toBe(false);
  expect(missesOnlyCities([missing('essen'), { message: 'no', extensions: { code: 'FORBIDDEN' } }])).toBe(false);
  expect(missesOnlyCities([{ message: 'forum down', extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'forum' } }])).toBe(false);
});

it('never caches an audit log nor an import job, which change without a committed write: found in fragments and under aliases too', () => {
  expect(readsWhatChangesWithoutCommit(parse('{ forum { auditLog(limit: 5) { action } } }'))).toBe(true);
  expect(readsWhatChangesWithoutCommit(parse('{ municipality(id: "duisburg") { ...Log } } fragment Log on Municipality { log: auditLog { action } }'))).toBe(true);
  expect(readsWhatChangesWithoutCommit(parse('{ forum { auditLog: name } }'))).toBe(false);
  expect(readsWhatChangesWithoutCommit(parse('{ municipality(id: "duisburg") { staff(year: 2024) { headcount } } }'))).toBe(false);
  expect(readsWhatChangesWithoutCommit(parse('query ($id: ID!) { municipality(id: "duisburg") { figureImportJob(id: $id) { status rowsChecked } } }'))).toBe(true);
});
