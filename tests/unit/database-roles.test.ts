import { MAX_IDENTIFIER_BYTES, defaultRolePrefix, derivedPassword, loginUrl, runtimeGrantStatements, serviceRoles } from '../../services/common/database-roles';
import { cityRuntimePrivileges } from '../../services/city/migrations';
import { forumRuntimePrivileges } from '../../services/forum/migrations';

/** How the services name, and what they grant, their database roles (attacked for real in tests/e2e/database-roles.test.ts). */
describe('role names', () => {
  it('begin with the database, so that databases on one server never share a role', () => {
    expect(serviceRoles(defaultRolePrefix('integration_forum_hub'), 'city_duisburg')).toEqual({
      owner: 'integration_forum_hub_city_duisburg_owner',
      runtime: 'integration_forum_hub_city_duisburg_app',
    });
    expect(serviceRoles(defaultRolePrefix('ifh_test_1_ab'), 'forum').runtime).not.toBe(serviceRoles(defaultRolePrefix('ifh_test_2_ab'), 'forum').runtime);
  });

  it('are made of lower-case letters, digits and _ whatever the database is called', () => {
    expect(defaultRolePrefix('Forum-Hub.2025')).toBe('forum_hub_2025');
    expect(defaultRolePrefix('2025hub')).toBe('_2025hub');
  });

  it('stay within 63 bytes, distinct, and alike in their beginning when the whole would be longer', () => {
    const long = 'a_database_name_far_longer_than_any_operator_would_choose';
    const first = serviceRoles(long, 'city_muelheim_an_der_ruhr');
    const second = serviceRoles(long, 'city_muelheim_an_der_ruhr_two');
    for (const name of [first.owner, first.runtime, second.owner, second.runtime]) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
      expect(name.startsWith(long.slice(0, 40))).toBe(true);
    }
    expect(new Set([first.owner, first.runtime, second.owner, second.runtime]).size).toBe(4);
    expect(first.owner.replace(/_owner$/, '')).toBe(first.runtime.replace(/_app$/, ''));
  });
});

describe('passwords of roles a service makes itself', () => {
  it('are the same for every replica given the same URL, and differ by role and by URL', () => {
    const url = 'postgres://postgres:secret@db:5432/hub';
    expect(derivedPassword(url, 'hub_forum_app')).toBe(derivedPassword(url, 'hub_forum_app'));
    expect(derivedPassword(url, 'hub_forum_app')).not.toBe(derivedPassword(url, 'hub_forum_owner'));
    expect(derivedPassword(url, 'hub_forum_app')).not.toBe(derivedPassword('postgres://postgres:other@db:5432/hub', 'hub_forum_app'));
  });

  it('go into a URL to the same server and database', () => {
    expect(loginUrl('postgres://postgres:secret@db:5432/hub?sslmode=require', 'hub_forum_app', 'p/w')).toBe('postgres://hub_forum_app:p%2Fw@db:5432/hub?sslmode=require');
    expect(loginUrl('postgres://postgres@db/hub', 'hub_forum_app', null)).toBe('postgres://hub_forum_app@db/hub');
  });
});

describe("the runtime role's grants", () => {
  const grants = (privileges: Parameters<typeof runtimeGrantStatements>[2]) => runtimeGrantStatements('city_duisburg', 'hub_app', privileges).join(';\n');

  it('are reading and adding rows, after taking back whatever it held; never UPDATE of a whole table, DELETE or TRUNCATE', () => {
    const city = grants(cityRuntimePrivileges);
    expect(city.indexOf('REVOKE ALL ON ALL TABLES')).toBeLessThan(city.indexOf('GRANT SELECT, INSERT ON ALL TABLES'));
    expect(city).not.toMatch(/GRANT[^;]*\b(DELETE|TRUNCATE|TRIGGER|REFERENCES)\b/);
    expect(city).not.toMatch(/GRANT UPDATE ON/);
    expect(city).toContain('REVOKE INSERT ON "city_duisburg"."schema_migrations" FROM "hub_app"');
  });

  it("let a city keep its configured units' names current, and nothing else in place", () => {
    expect(cityRuntimePrivileges.updatableColumns).toEqual({
      organisational_unit: ['name_de', 'name_en', 'is_jobcenter'],
      figure_import_job: ['status', 'rows_checked', 'revisions_total', 'revisions_written', 'report', 'finished_at', 'heartbeat_at', 'idempotency_key'],
    });
    expect(forumRuntimePrivileges.updatableColumns).toBeUndefined();
    expect(grants(forumRuntimePrivileges)).toContain('REVOKE INSERT ON "city_duisburg"."schema_migrations", "city_duisburg"."commitment" FROM "hub_app"');
  });
});
