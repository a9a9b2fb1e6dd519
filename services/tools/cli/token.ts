import { parseArgs } from 'node:util';
import { readAuthConfig } from '../../common/auth/auth-config';
import { loadOrCreateSigningKey } from '../../common/auth/keys';
import { issueLocalToken } from '../../common/auth/user-tokens';
import { isRole, ROLES, type Role } from '../../common/auth/viewer';
import { loadRegistry } from '../../common/registry';
import { clientCredentialsToken, scriptClientFor } from './provider-token';

const USAGE = `Gets a token for scripts and GraphiQL from the identity provider (client-credentials grant).

  npm run token -- --role hr --city duisburg
  npm run token -- --role admin

With the embedded provider (npm start) the token is for the demo account with that role (and city); with another
provider, set AUTH_ISSUER, AUTH_CLIENT_ID and AUTH_CLIENT_SECRET (its client for scripts). The provider decides the
lifetime.

Options:
  --role ROLE         member, hr or admin (required; repeat for several)
  --city ID           the city of an hr token (required with --role hr)
  --local-key         sign with the hub's own key instead (AUTH_LOCAL_KEY_FILE): only for a gateway started
                      on its own, without an identity provider (tests, benchmarks); then also:
  --subject ID        who the token is for (default: derived from role and city)
  --name NAME         display name in revisions and the audit log
  --expires-in SPAN   e.g. 8h, 30d (default 8h)

The token goes to stdout; send it as "Authorization: Bearer <token>".`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string', multiple: true },
      city: { type: 'string' },
      subject: { type: 'string' },
      name: { type: 'string' },
      'expires-in': { type: 'string', default: '8h' },
      'local-key': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) {
    process.stderr.write(`token: --role must be one of ${ROLES.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}\n\n${USAGE}\n`);
    return 2;
  }
  const registry = loadRegistry();
  if (roles.includes('hr') && !registry.members.some((member) => member.id === values.city)) {
    process.stderr.write(`token: --role hr needs --city, one of ${registry.members.map((member) => member.id).join(', ')}\n`);
    return 2;
  }
  if (!values['local-key']) {
    const { token, expiresIn } = await clientCredentialsToken(scriptClientFor(roles as Role[], values.city));
    process.stdout.write(`${token}\n`);
    process.stderr.write(`token from the identity provider (${roles.join(', ')}${values.city ? ` of ${values.city}` : ''}), valid for ${expiresIn} s\n`);
    return 0;
  }
  const auth = readAuthConfig();
  if (!auth.localIssuer || !('file' in auth.users.keys)) {
    process.stderr.write('token: this hub trusts an identity provider (AUTH_JWKS_URL); tokens come from there.\n');
    return 2;
  }
  const key = await loadOrCreateSigningKey(auth.users.keys.file);
  const subject = values.subject ?? [...roles, values.city].filter(Boolean).join('-');
  const token = await issueLocalToken(key, {
    subject,
    name: values.name,
    roles: roles as Role[],
    city: values.city,
    expiresIn: values['expires-in'],
    audience: auth.users.audience,
  });
  process.stdout.write(`${token}\n`);
  process.stderr.write(`token for ${subject} (${roles.join(', ')}${values.city ? ` of ${values.city}` : ''}), valid for ${values['expires-in']}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`token: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
