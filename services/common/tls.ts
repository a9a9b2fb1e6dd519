import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { z } from 'zod';
import { ConfigError, readEnv } from './config';
import type { ServerTls } from './http-service';

/**
 * Mutual TLS between the gateway and the subgraphs (docs/deployment.md): a subgraph serves HTTPS and turns away, in
 * the handshake, every client without a certificate from the hub's CA; the gateway presents its client certificate and
 * checks the subgraph's. `npm run certs` makes the certificates. All unset: plain HTTP, as behind a proxy that does TLS.
 */

function readPem(variable: string, file: string, problems: string[]): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    problems.push(`  ${variable}=${JSON.stringify(file)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return Buffer.alloc(0);
  }
}

export interface SubgraphServerSettings {
  tls?: ServerTls;
  /** Plain-HTTP port for `/health` and `/ready` (`HEALTH_PORT`). */
  healthPort?: number;
}

/** A subgraph's TLS settings: `TLS_CERT_FILE`, `TLS_KEY_FILE` and `TLS_CLIENT_CA_FILE` together, or none of them. */
export function readSubgraphServerSettings(source: NodeJS.ProcessEnv = process.env): SubgraphServerSettings {
  const values = readEnv(
    {
      TLS_CERT_FILE: z.string().min(1).optional(),
      TLS_KEY_FILE: z.string().min(1).optional(),
      TLS_CLIENT_CA_FILE: z.string().min(1).optional(),
      HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    },
    source,
  );
  const files = { TLS_CERT_FILE: values.TLS_CERT_FILE, TLS_KEY_FILE: values.TLS_KEY_FILE, TLS_CLIENT_CA_FILE: values.TLS_CLIENT_CA_FILE };
  const given = Object.entries(files).filter(([, file]) => file !== undefined);
  if (given.length === 0) return { healthPort: values.HEALTH_PORT };
  const problems: string[] = [];
  if (given.length < 3) {
    const missing = Object.keys(files).filter((variable) => files[variable as keyof typeof files] === undefined);
    // Half a TLS set-up must not silently become plain HTTP, nor HTTPS that lets in any client.
    problems.push(`  ${missing.join(', ')}: required with ${given.map(([variable]) => variable).join(', ')} (mutual TLS needs the certificate, its key and the CA of the clients)`);
  }
  const tls = {
    cert: files.TLS_CERT_FILE ? readPem('TLS_CERT_FILE', files.TLS_CERT_FILE, problems) : Buffer.alloc(0),
    key: files.TLS_KEY_FILE ? readPem('TLS_KEY_FILE', files.TLS_KEY_FILE, problems) : Buffer.alloc(0),
    clientCa: files.TLS_CLIENT_CA_FILE ? readPem('TLS_CLIENT_CA_FILE', files.TLS_CLIENT_CA_FILE, problems) : Buffer.alloc(0),
  };
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return { tls, healthPort: values.HEALTH_PORT };
}

/** What the gateway's connections to the subgraphs use for TLS (undici's `connect` options). */
export interface SubgraphClientTls {
  /** Trusted for subgraph server certificates: Node's public CAs and the given CA. */
  ca?: string[];
  cert?: Buffer;
  key?: Buffer;
}

/**
 * The gateway's side: `SUBGRAPH_TLS_CA_FILE` (the CA that signed the subgraphs' server certificates, trusted besides
 * the public CAs) and `SUBGRAPH_TLS_CERT_FILE` with `SUBGRAPH_TLS_KEY_FILE` (the client certificate it presents to
 * every subgraph it reaches over https). Undefined when none is set.
 */
export function readSubgraphClientTls(source: NodeJS.ProcessEnv = process.env): SubgraphClientTls | undefined {
  const values = readEnv(
    {
      SUBGRAPH_TLS_CA_FILE: z.string().min(1).optional(),
      SUBGRAPH_TLS_CERT_FILE: z.string().min(1).optional(),
      SUBGRAPH_TLS_KEY_FILE: z.string().min(1).optional(),
    },
    source,
  );
  if (!values.SUBGRAPH_TLS_CA_FILE && !values.SUBGRAPH_TLS_CERT_FILE && !values.SUBGRAPH_TLS_KEY_FILE) return undefined;
  const problems: string[] = [];
  if (Boolean(values.SUBGRAPH_TLS_CERT_FILE) !== Boolean(values.SUBGRAPH_TLS_KEY_FILE)) {
    problems.push(`  ${values.SUBGRAPH_TLS_CERT_FILE ? 'SUBGRAPH_TLS_KEY_FILE' : 'SUBGRAPH_TLS_CERT_FILE'}: required with ${values.SUBGRAPH_TLS_CERT_FILE ? 'SUBGRAPH_TLS_CERT_FILE' : 'SUBGRAPH_TLS_KEY_FILE'} (a client certificate and its key)`);
  }
  const tls: SubgraphClientTls = {};
  if (values.SUBGRAPH_TLS_CA_FILE) {
    // Setting `ca` replaces Node's trust store for these connections: the public CAs stay trusted, for cities whose
    // proxies present public certificates.
    tls.ca = [...rootCertificates, readPem('SUBGRAPH_TLS_CA_FILE', values.SUBGRAPH_TLS_CA_FILE, problems).toString('utf8')];
  }
  if (values.SUBGRAPH_TLS_CERT_FILE && values.SUBGRAPH_TLS_KEY_FILE) {
    tls.cert = readPem('SUBGRAPH_TLS_CERT_FILE', values.SUBGRAPH_TLS_CERT_FILE, problems);
    tls.key = readPem('SUBGRAPH_TLS_KEY_FILE', values.SUBGRAPH_TLS_KEY_FILE, problems);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return tls;
}
