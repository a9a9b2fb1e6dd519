import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { provisionRoles } from '../../common/database';
import { PROVISIONING_LOCK, defaultRolePrefix, loginUrl, provisioningStatements, quoteLiteral, serviceRoles, type ServiceRoles } from '../../common/database-roles';
import { envSuffix, findMember, loadRegistry } from '../../common/registry';

const USAGE = `Makes the database roles of services (docs/security.md#database-roles): for each, the owner of its schema,
which runs its migrations, and the runtime role it connects as, which may only read and add to its own tables.
Run it with a superuser's URL; or print the SQL for a DBA to run as one. Running it again brings the roles back
in line and changes nothing else. A service given a superuser's DATABASE_URL does the same itself at start.

  npm run db:provision -- --service duisburg                 # with a superuser's DATABASE_URL
  npm run db:provision -- --all --print --database-url postgres://dba@db.example/integration_forum_hub > roles.sql

Options:
  --service ID        a member city's id, or forum (repeat for several)
  --all               the forum and every member city of the registry
  --database-url URL  a superuser's URL of the hub's database (default: DATABASE_URL)
  --print             print the SQL instead of running it; it holds new passwords, keep it secret
  --database NAME     with --print and no URL: the database the SQL is for
  --role-prefix TEXT  beginning of the role names (default: DATABASE_ROLE_PREFIX, else the database's name)
  --schema NAME       the schema of a single --service (default: city_<id>, or forum)
  --new-passwords     give existing roles new passwords too (by default only new roles get one)

It prints each service's two URLs: DATABASE_URL_<ID> (the runtime role) and DATABASE_OWNER_URL_<ID> (the owner).`;

export interface ServicePlan {
  service: string;
  schema: string;
  roles: ServiceRoles;
}

export interface ProvisionedService extends ServicePlan {
  /** New passwords, where a role got one. */
  passwords: { owner: string | null; runtime: string | null };
}

/** The schema and roles of each service (`forum` or a city's id), as its own start-up would name them. */
export function servicePlans(services: readonly string[], prefix: string, schema?: string): ServicePlan[] {
  return services.map((service) => {
    const ownSchema = schema ?? (service === 'forum' ? 'forum' : `city_${service}`);
    return { service, schema: ownSchema, roles: serviceRoles(prefix, ownSchema) };
  });
}

/** Making roles takes a superuser; anyone else gets the SQL to pass on. */
export class NotSuperuserError extends Error {
  override name = 'NotSuperuserError';
}

const newPassword = () => randomBytes(24).toString('base64url');

/**
 * Makes the services' roles over a superuser's connection, each in a transaction of its own under the lock the
 * services take, so that it may run while they start.
 */
export async function provisionServices(databaseUrl: string, services: readonly string[], options: { rolePrefix?: string; schema?: string; newPasswords?: boolean } = {}): Promise<ProvisionedService[]> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'db:provision' });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT current_user AS role, rolsuper AS superuser, current_database() AS database FROM pg_roles WHERE rolname = current_user');
    const { role, superuser, database } = rows[0] as { role: string; superuser: boolean; database: string };
    if (!superuser) throw new NotSuperuserError(`${role} is not a superuser: run with --print, and have a superuser run the SQL`);
    const provisioned: ProvisionedService[] = [];
    for (const plan of servicePlans(services, options.rolePrefix ?? defaultRolePrefix(database), options.schema)) {
      const existing = new Set(
        (await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [[plan.roles.owner, plan.roles.runtime]])).rows.map((row) => row.rolname),
      );
      const password = (role: string) => (options.newPasswords || !existing.has(role) ? newPassword() : null);
      const passwords = { owner: password(plan.roles.owner), runtime: password(plan.roles.runtime) };
      await provisionRoles(client, plan.schema, plan.roles, passwords);
      provisioned.push({ ...plan, passwords });
    }
    return provisioned;
  } finally {
    await client.end();
  }
}

/** The SQL a superuser runs to do the same, with new passwords for every role. */
export function provisioningScript(plans: readonly ServicePlan[], databaseUrl: string | undefined, database: string): { sql: string; provisioned: ProvisionedService[] } {
  const provisioned = plans.map((plan) => ({ ...plan, passwords: { owner: newPassword(), runtime: newPassword() } }));
  const blocks = provisioned.map((plan) =>
    [
      `-- ${plan.service}: schema ${plan.schema}, owner ${plan.roles.owner}, runtime role ${plan.roles.runtime}`,
      'BEGIN;',
      `SELECT pg_advisory_xact_lock(hashtext(${quoteLiteral(PROVISIONING_LOCK)}));`,
      ...provisioningStatements(plan.schema, plan.roles, { owner: quoteLiteral(plan.passwords.owner), runtime: quoteLiteral(plan.passwords.runtime) }).map((statement) => `${statement};`),
      'COMMIT;',
    ].join('\n'),
  );
  const header = [
    `-- Database roles of the integration forum hub (npm run db:provision -- --print). Holds passwords: keep it secret.`,
    `-- Run it as a superuser in the database ${database}, e.g. psql -v ON_ERROR_STOP=1 -f roles.sql "<superuser's URL>",`,
    '-- then give each service its two URLs:',
    ...urlLines(provisioned, databaseUrl ?? `postgres://host:5432/${database}`).map((line) => `--   ${line}`),
  ];
  return { sql: `${header.join('\n')}\n\n${blocks.join('\n\n')}\n`, provisioned };
}

/** `DATABASE_URL_<ID>=...` and `DATABASE_OWNER_URL_<ID>=...` of each service, on the server of `databaseUrl`. */
export function urlLines(provisioned: readonly ProvisionedService[], databaseUrl: string): string[] {
  return provisioned.flatMap((plan) => {
    const suffix = envSuffix(plan.service);
    const line = (variable: string, role: string, password: string | null) =>
      `${variable}_${suffix}=${loginUrl(databaseUrl, role, password)}${password === null ? '   (password unchanged)' : ''}`;
    return [line('DATABASE_URL', plan.roles.runtime, plan.passwords.runtime), line('DATABASE_OWNER_URL', plan.roles.owner, plan.passwords.owner)];
  });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      service: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      print: { type: 'boolean', default: false },
      database: { type: 'string' },
      'role-prefix': { type: 'string' },
      schema: { type: 'string' },
      'new-passwords': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const registry = loadRegistry();
  const services = values.all ? ['forum', ...registry.members.map((member) => member.id)] : (values.service ?? []);
  if (services.length === 0) return usageError('name a --service, or --all');
  if (values.schema !== undefined && services.length !== 1) return usageError('--schema goes with a single --service');
  for (const service of services) if (service !== 'forum') findMember(registry, service);
  const rolePrefix = values['role-prefix'] ?? process.env.DATABASE_ROLE_PREFIX;
  if (rolePrefix !== undefined && !/^[a-z_][a-z0-9_]{0,39}$/.test(rolePrefix)) return usageError('--role-prefix: lower-case letters, digits and _, at most 40');
  const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;

  if (values.print) {
    const database = values.database ?? (databaseUrl ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) : undefined);
    if (!database) return usageError('--print needs the database: --database NAME or --database-url URL');
    const { sql } = provisioningScript(servicePlans(services, rolePrefix ?? defaultRolePrefix(database), values.schema), databaseUrl, database);
    process.stdout.write(sql);
    return 0;
  }
  if (!databaseUrl) return usageError("a superuser's URL is needed: DATABASE_URL or --database-url (or --print for a DBA)");
  const provisioned = await provisionServices(databaseUrl, services, { rolePrefix, schema: values.schema, newPasswords: values['new-passwords'] });
  for (const plan of provisioned) process.stdout.write(`${plan.service}: schema ${plan.schema}, owner ${plan.roles.owner}, runtime role ${plan.roles.runtime}\n`);
  process.stdout.write(`\nGive each service its two URLs (passwords are shown this once):\n${urlLines(provisioned, databaseUrl).map((line) => `  ${line}`).join('\n')}\n`);
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`db:provision: ${message}\n\n${USAGE}\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`db:provision: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
