import { createHash, createHmac } from 'node:crypto';

/**
 * Each service's database is used by two roles of its own (docs/security.md#database-roles):
 * - the owner, which owns the service's schema and everything in it, and alone runs the migrations;
 * - the runtime role, which the service connects as for everything else: it reads its own tables and adds rows to
 *   them, and can change nothing that is there (no UPDATE, DELETE or TRUNCATE of revisions or the audit log, no ALTER
 *   or DROP, no triggers), and it has nothing at all in any other schema.
 */
export interface ServiceRoles {
  owner: string;
  runtime: string;
}

/** PostgreSQL cuts identifiers at 63 bytes, silently: two long names could become one. */
export const MAX_IDENTIFIER_BYTES = 63;

const OWNER_SUFFIX = '_owner';
const RUNTIME_SUFFIX = '_app';
const HASH_LENGTH = 8;

/**
 * The default beginning of role names: the database's name, as roles belong to the whole server while schemas belong
 * to one database (the tests make many databases on one server, a city may host several hubs' databases).
 */
export function defaultRolePrefix(databaseName: string): string {
  const cleaned = databaseName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/**
 * `<prefix>_<schema>_owner` and `<prefix>_<schema>_app`; a longer name than PostgreSQL keeps is shortened and made
 * unique by a hash of the whole, so the two roles of a schema still share their beginning.
 */
export function serviceRoles(prefix: string, schema: string): ServiceRoles {
  let base = `${prefix}_${schema}`;
  const longest = MAX_IDENTIFIER_BYTES - OWNER_SUFFIX.length;
  if (Buffer.byteLength(base) > longest) {
    const hash = createHash('sha256').update(base).digest('hex').slice(0, HASH_LENGTH);
    base = `${base.slice(0, longest - HASH_LENGTH - 1)}_${hash}`;
  }
  return { owner: `${base}${OWNER_SUFFIX}`, runtime: `${base}${RUNTIME_SUFFIX}` };
}

/**
 * A password for a role the service makes itself with a superuser's URL: the same for every replica and every start
 * (a new one at each start would lock out the replicas already running), and known only to whoever knows that URL.
 */
export function derivedPassword(superuserUrl: string, role: string): string {
  return createHmac('sha256', superuserUrl).update(`integration-forum-hub role ${role}`).digest('base64url');
}

/** The same server and database as `url`, logged in as `role`. */
export function loginUrl(url: string, role: string, password: string | null): string {
  const login = new URL(url);
  if (login.hostname === '') throw new Error(`cannot log in as ${role} through ${login.protocol}// without a host: name the server in the URL`);
  login.username = encodeURIComponent(role);
  login.password = password === null ? '' : encodeURIComponent(password);
  return login.toString();
}

export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export const quoteLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** Custom settings that carry the passwords into the DO block, which takes no parameters. */
const OWNER_PASSWORD_SETTING = 'integration_forum_hub.owner_password';
const RUNTIME_PASSWORD_SETTING = 'integration_forum_hub.runtime_password';

export interface ProvisioningPasswords {
  /**
   * SQL expressions giving each role's password: a parameter (`$1`), a psql variable (`:'owner_password'`) or a
   * literal; `''` leaves the password of an existing role as it is (and a new role without one).
   */
  owner: string;
  runtime: string;
}

/**
 * The statements that make (or bring back in line) a service's two roles and its schema, as a superuser runs them:
 * the service itself with a superuser's URL, `npm run db:provision`, the SQL it prints for a DBA, and the init
 * script of docker-compose.yml. Idempotent; to be run in one transaction (the passwords are set for it alone).
 */
export function provisioningStatements(schema: string, roles: ServiceRoles, passwords: ProvisioningPasswords): string[] {
  const owner = quoteIdentifier(roles.owner);
  const runtime = quoteIdentifier(roles.runtime);
  const schemaName = quoteIdentifier(schema);
  const ownerLiteral = quoteLiteral(roles.owner);
  const runtimeLiteral = quoteLiteral(roles.runtime);
  const schemaLiteral = quoteLiteral(schema);
  return [
    // No columns: psql, running the init script, would print the passwords into the container's log.
    `SELECT FROM (SELECT set_config('${OWNER_PASSWORD_SETTING}', ${passwords.owner}, true), set_config('${RUNTIME_PASSWORD_SETTING}', ${passwords.runtime}, true)) AS passwords`,
    `DO $provision$
DECLARE
  owner_password text := nullif(current_setting('${OWNER_PASSWORD_SETTING}', true), '');
  runtime_password text := nullif(current_setting('${RUNTIME_PASSWORD_SETTING}', true), '');
  statement text;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${ownerLiteral}) THEN CREATE ROLE ${owner}; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${runtimeLiteral}) THEN CREATE ROLE ${runtime}; END IF;
  -- Whatever they were given since: neither may be a superuser, make roles or databases, replicate or bypass row security.
  ALTER ROLE ${owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
  ALTER ROLE ${runtime} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
  IF owner_password IS NOT NULL THEN EXECUTE format('ALTER ROLE %I PASSWORD %L', ${ownerLiteral}, owner_password); END IF;
  IF runtime_password IS NOT NULL THEN EXECUTE format('ALTER ROLE %I PASSWORD %L', ${runtimeLiteral}, runtime_password); END IF;
  -- A role it belongs to is one it can become (SET ROLE): the runtime role belongs to none.
  IF EXISTS (SELECT FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = ${runtimeLiteral})) THEN
    RAISE EXCEPTION 'role % is a member of other roles (%), so it could act as them: revoke that first', ${runtimeLiteral},
      (SELECT string_agg(roleid::regrole::text, ', ') FROM pg_auth_members WHERE member = (SELECT oid FROM pg_roles WHERE rolname = ${runtimeLiteral}));
  END IF;

  IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = ${schemaLiteral}) THEN CREATE SCHEMA ${schemaName} AUTHORIZATION ${owner}; END IF;
  ALTER SCHEMA ${schemaName} OWNER TO ${owner};
  -- What was made before the roles existed (a schema that a superuser migrated) passes to the owner; a sequence of a
  -- column goes with its table.
  FOR statement IN
    SELECT format('ALTER %s %s OWNER TO %I',
             CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
             c.oid::regclass, ${ownerLiteral})
    FROM pg_class c
    WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ${schemaLiteral})
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = ${ownerLiteral})
      AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, ${ownerLiteral})
    FROM pg_proc p
    WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = ${schemaLiteral})
      AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = ${ownerLiteral})
  LOOP
    EXECUTE statement;
  END LOOP;

  REVOKE ALL ON SCHEMA ${schemaName} FROM PUBLIC;
  GRANT USAGE ON SCHEMA ${schemaName} TO ${runtime};
  -- Tables a later migration makes are the runtime role's to read and add to, as the owner's grants after each
  -- migration run make sure of too.
  ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schemaName} GRANT SELECT, INSERT ON TABLES TO ${runtime};
  ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schemaName} GRANT USAGE ON SEQUENCES TO ${runtime};
  -- Only a schema's owner makes objects in it; PostgreSQL 15 made that the default for the public schema, earlier
  -- versions let everyone.
  IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'public') THEN REVOKE CREATE ON SCHEMA public FROM PUBLIC; END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, %I', current_database(), ${ownerLiteral}, ${runtimeLiteral});
END
$provision$`,
  ];
}

/** Roles are the server's: services starting together (replicas, or every service at once) provision one at a time. */
export const PROVISIONING_LOCK = 'integration-forum-hub:provisioning';

/** What a service's runtime role may do beyond reading its tables and adding rows to them. */
export interface RuntimePrivileges {
  /** Tables it only reads (the migrations' own `schema_migrations` always). */
  readOnlyTables?: readonly string[];
  /**
   * Columns it changes in place, by table. Never a table of revisions or the audit log: what is written there stays,
   * and a correction is a new row.
   */
  updatableColumns?: Readonly<Record<string, readonly string[]>>;
}

/** TypeORM's record of applied migrations, in each service's schema. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/**
 * The owner's grants to the runtime role, after every migration run: exactly what `privileges` names, whatever the
 * role held before (a grant made by hand is taken back). One transaction, so a running replica never sees less.
 */
export function runtimeGrantStatements(schema: string, runtimeRole: string, privileges: RuntimePrivileges): string[] {
  const schemaName = quoteIdentifier(schema);
  const runtime = quoteIdentifier(runtimeRole);
  const table = (name: string) => `${schemaName}.${quoteIdentifier(name)}`;
  const readOnly = [MIGRATIONS_TABLE, ...(privileges.readOnlyTables ?? [])];
  return [
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${schemaName} FROM ${runtime}`,
    `GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA ${schemaName} TO ${runtime}`,
    `REVOKE INSERT ON ${readOnly.map(table).join(', ')} FROM ${runtime}`,
    ...Object.entries(privileges.updatableColumns ?? {}).map(
      ([name, columns]) => `GRANT UPDATE (${columns.map(quoteIdentifier).join(', ')}) ON ${table(name)} TO ${runtime}`,
    ),
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schemaName} FROM ${runtime}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schemaName} TO ${runtime}`,
  ];
}
