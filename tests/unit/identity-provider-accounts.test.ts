import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRegistry } from '../../services/common/registry';
import { accountsFile, accountTable, loadOrCreateAccounts } from '../../services/tools/identity-provider/accounts';
import { scriptClientFor } from '../../services/tools/cli/provider-token';

/** The embedded identity provider's demo accounts, and which script client `npm run token` picks from them. */
const registry = loadRegistry();
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ifh-accounts-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

it('makes one HR account per member city, a forum member and an administrator, once', () => {
  const first = loadOrCreateAccounts(accountsFile(dataDir), registry);
  expect(first.map((account) => account.username).sort()).toEqual([...registry.members.map((member) => `hr-${member.id}`), 'member', 'admin'].sort());
  expect(first.filter((account) => account.roles.includes('hr')).every((account) => account.city === account.username.slice(3))).toBe(true);
  // The passwords are the owner's alone, and the same at every start.
  expect(statSync(accountsFile(dataDir)).mode & 0o077).toBe(0);
  expect(loadOrCreateAccounts(accountsFile(dataDir), registry)).toEqual(first);
  expect(accountTable(first)).toContain(`${first[0]!.username}`);
});

it("picks the script client of the account with the token's roles and city", () => {
  const accounts = loadOrCreateAccounts(accountsFile(dataDir), registry);
  const env = { IDP_DATA_DIR: dataDir, IDP_PORT: '4310' };
  const duisburg = accounts.find((account) => account.username === 'hr-duisburg')!;
  expect(scriptClientFor(['hr'], 'duisburg', env)).toEqual({ issuer: 'http://localhost:4310', clientId: duisburg.scriptClientId, clientSecret: duisburg.scriptClientSecret });
  expect(scriptClientFor(['admin'], undefined, env).clientId).toBe('script-admin');
  expect(() => scriptClientFor(['hr'], 'atlantis', env)).toThrow(/no demo account/);
  // Another provider's client, when given, wins.
  expect(scriptClientFor(['hr'], 'duisburg', { ...env, AUTH_ISSUER: 'https://id.example/realms/forum', AUTH_CLIENT_ID: 'scripts', AUTH_CLIENT_SECRET: 's' })).toEqual({
    issuer: 'https://id.example/realms/forum',
    clientId: 'scripts',
    clientSecret: 's',
  });
});
