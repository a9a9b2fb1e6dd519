import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DemoAccount } from '../../services/tools/identity-provider/accounts';
import { ServiceProcess, distScript } from './processes';

/** A port nobody listens on now: the provider and the gateway must each know the other's address before both run. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** The embedded identity provider as its own process, with its keys and demo accounts in a temporary directory. */
export class TestIdentityProvider {
  private constructor(
    readonly process: ServiceProcess,
    readonly issuer: string,
    private readonly dataDir: string,
  ) {}

  /** `issuer` comes from `reserve()`; `dashboardOrigin` is the gateway's origin (its redirect URIs). */
  static async start(port: number, dashboardOrigin: string, membersFile: string): Promise<TestIdentityProvider> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ifh-idp-'));
    const issuer = `http://127.0.0.1:${port}`;
    try {
      const service = await ServiceProcess.start('identity-provider', distScript('services', 'tools', 'identity-provider', 'main.js'), [], {
        HOST: '127.0.0.1',
        IDP_PORT: String(port),
        IDP_ISSUER: issuer,
        IDP_DATA_DIR: dataDir,
        IDP_DASHBOARD_ORIGINS: dashboardOrigin,
        MEMBERS_FILE: membersFile,
        LOG_LEVEL: 'info',
      });
      return new TestIdentityProvider(service, issuer, dataDir);
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** What the gateway needs to trust this provider, as `npm start` sets it (services/tools/launcher/federation.ts). */
  static trust(issuer: string): NodeJS.ProcessEnv {
    return { AUTH_ISSUER: issuer, AUTH_JWKS_URL: `${issuer}/jwks`, AUTH_ROLES_CLAIM: 'realm_access.roles', AUTH_CITY_CLAIM: 'city' };
  }

  /** A demo account with its generated password, as `npm start` prints them. */
  account(username: string): DemoAccount {
    const accounts = JSON.parse(readFileSync(path.join(this.dataDir, 'accounts.json'), 'utf8')) as DemoAccount[];
    const account = accounts.find((candidate) => candidate.username === username);
    if (!account) throw new Error(`no demo account ${username}`);
    return account;
  }

  async stop(): Promise<void> {
    await this.process.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
