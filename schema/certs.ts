import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fromProjectRoot } from '../services/common/project-root';
import { loadRegistry, registryPath, type Registry } from '../services/common/registry';
import { composeSubgraphAddresses, MEMBER_ROUTER_HOST } from './compose-addresses';

const USAGE = `Makes the certificates for mutual TLS between the gateway and the subgraphs (docs/deployment.md), with openssl.

  npm run certs
  npm run certs -- --out /secure/place --days 365

Writes into the folder (default .data/certs, which git and docker builds ignore):
  ca.crt, ca.key                  the hub's CA (ECDSA P-256); ca.key stays here, nothing mounts it
  forum.crt/.key, city-<id>.crt/.key
                                  one server certificate per subgraph, for its docker-compose host name,
                                  localhost and 127.0.0.1
  gateway.crt, gateway.key        the gateway's client certificate (the router's too)

Files already there are kept, so that running it again after npm run add-member makes only the new city's.
Without ca.crt and ca.key, a new CA is made and every certificate with it.

Options:
  --out DIR      where to write (default .data/certs)
  --days N       validity of the service certificates in days (default 365; the CA: 10 years)
  --members FILE the member registry (default schema/members.json)`;

/** The CA lives long: renewing it means replacing every certificate. */
const CA_DAYS = 3650;

export interface CertificateSet {
  dir: string;
  ca: { cert: string; key: string };
  /** By docker-compose service name (`forum`, `city-duisburg`). */
  servers: Map<string, { cert: string; key: string }>;
  gatewayClient: { cert: string; key: string };
}

/** The subgraphs' host names in docker-compose.yml, and the member router's, which their certificates must name. */
export function subgraphHosts(registry: Registry): string[] {
  return [...composeSubgraphAddresses(registry).map(({ url }) => new URL(url).hostname), MEMBER_ROUTER_HOST];
}

/**
 * Writes the hub's CA, a server certificate per subgraph and the gateway's client certificate into `dir`, keeping
 * what is there. Returns where each is.
 */
export function makeCertificates(dir: string, registry: Registry, days = 365): { set: CertificateSet; made: string[] } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = (name: string) => ({ cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) });
  const set: CertificateSet = {
    dir,
    ca: file('ca'),
    servers: new Map(subgraphHosts(registry).map((host) => [host, file(host)])),
    gatewayClient: file('gateway'),
  };
  const made: string[] = [];
  const work = mkdtempSync(path.join(tmpdir(), 'ifh-certs-'));
  try {
    const newCa = !existsSync(set.ca.cert) || !existsSync(set.ca.key);
    if (newCa) {
      const config = writeConfig(work, 'ca', 'integration-forum-hub CA', [
        'basicConstraints = critical, CA:TRUE, pathlen:0',
        'keyUsage = critical, keyCertSign, cRLSign',
        'subjectKeyIdentifier = hash',
      ]);
      openssl(['req', '-x509', '-config', config, '-extensions', 'extensions', ...NEW_KEY, '-keyout', set.ca.key, '-out', set.ca.cert, '-days', String(CA_DAYS)]);
      chmodSync(set.ca.key, 0o600);
      made.push(set.ca.cert);
    }
    const leaf = (name: string, files: { cert: string; key: string }, extensions: string[]) => {
      if (!newCa && existsSync(files.cert) && existsSync(files.key)) return;
      const config = writeConfig(work, name, name, [
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature',
        'subjectKeyIdentifier = hash',
        'authorityKeyIdentifier = keyid',
        ...extensions,
      ]);
      const request = path.join(work, `${name}.csr`);
      openssl(['req', '-new', '-config', config, ...NEW_KEY, '-keyout', files.key, '-out', request]);
      openssl([
        'x509', '-req', '-in', request, '-CA', set.ca.cert, '-CAkey', set.ca.key, '-set_serial', `0x${randomBytes(16).toString('hex')}`,
        '-days', String(days), '-extfile', config, '-extensions', 'extensions', '-out', files.cert,
      ]);
      // Readable by the user the containers run as, whatever the host user's id; the folder (0700) keeps others out.
      chmodSync(files.key, 0o644);
      made.push(files.cert);
    };
    for (const [host, files] of set.servers) {
      // The server certificate only: it cannot serve as a client certificate towards another subgraph.
      leaf(host, files, ['extendedKeyUsage = serverAuth', `subjectAltName = DNS:${host}, DNS:localhost, IP:127.0.0.1, IP:::1`]);
    }
    leaf('gateway', set.gatewayClient, ['extendedKeyUsage = clientAuth']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { set, made };
}

const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A configuration of our own, so that the system's openssl.cnf adds no extensions of its own. */
function writeConfig(dir: string, name: string, commonName: string, extensions: string[]): string {
  const file = path.join(dir, `${name}.cnf`);
  writeFileSync(
    file,
    ['[req]', 'prompt = no', 'distinguished_name = subject', '[subject]', 'O = integration-forum-hub', `CN = ${commonName}`, '[extensions]', ...extensions, ''].join('\n'),
  );
  return file;
}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stderr, code } = error as { stderr?: Buffer; code?: string };
    if (code === 'ENOENT') throw new Error('openssl is not installed (Debian: apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${stderr?.toString().trim() ?? (error as Error).message}`);
  }
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: fromProjectRoot('.data', 'certs') },
      days: { type: 'string', default: '365' },
      members: { type: 'string', default: registryPath() },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const days = Number(values.days);
  if (!Number.isInteger(days) || days <= 0) {
    process.stderr.write(`certs: --days must be a whole number of days > 0, not ${JSON.stringify(values.days)}\n`);
    return 2;
  }
  const { set, made } = makeCertificates(path.resolve(values.out), loadRegistry(values.members), days);
  const relative = (file: string) => path.relative(process.cwd(), file) || file;
  process.stdout.write(
    made.length === 0
      ? `certificates in ${relative(set.dir)} are complete; nothing made\n`
      : `made in ${relative(set.dir)}: ${made.map((file) => path.basename(file)).join(', ')}\n`,
  );
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`certs: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
