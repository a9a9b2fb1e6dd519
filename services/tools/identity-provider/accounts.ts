import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '../../common/auth/viewer';
import type { Registry } from '../../common/registry';

/** A demo account: signs in on the login page, and its script client gets tokens with the same roles. */
export interface DemoAccount {
  username: string;
  name: string;
  roles: Role[];
  city: string | null;
  password: string;
  /** The confidential client for scripts (client credentials grant) acting as this account. */
  scriptClientId: string;
  scriptClientSecret: string;
}

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** One HR account per member city, a forum member and an administrator. */
function demoAccounts(registry: Registry): DemoAccount[] {
  const account = (username: string, name: string, roles: Role[], city: string | null): DemoAccount => ({
    username,
    name,
    roles,
    city,
    password: secret(9),
    scriptClientId: `script-${username}`,
    scriptClientSecret: secret(24),
  });
  return [
    ...registry.members.map((member) => account(`hr-${member.id}`, `Personalamt ${member.name}`, ['hr'], member.id)),
    account('member', 'Forumsgeschäftsstelle', ['member'], null),
    account('admin', 'Administration', ['admin'], null),
  ];
}

/**
 * The demo accounts with their passwords, made once and kept in `file` (readable by the owner only), so that
 * `npm start` prints the same passwords every time. A city added to the registry later gets its account then.
 */
export function loadOrCreateAccounts(file: string, registry: Registry): DemoAccount[] {
  const stored: DemoAccount[] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoAccount[]) : [];
  const known = new Set(stored.map((account) => account.username));
  const added = demoAccounts(registry).filter((account) => !known.has(account.username));
  if (added.length > 0 || !existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify([...stored, ...added], null, 2)}\n`, { mode: 0o600 });
  }
  return [...stored, ...added];
}

export const accountsFile = (dataDir: string) => path.join(dataDir, 'accounts.json');

/** The accounts as a table for the console: who signs in with what, and the script client of each. */
export function accountTable(accounts: DemoAccount[]): string {
  const rows = [['user', 'password', 'role', 'city', 'script client', 'client secret'], ...accounts.map((account) => [account.username, account.password, account.roles.join(','), account.city ?? '', account.scriptClientId, account.scriptClientSecret])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
