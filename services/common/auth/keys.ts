import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/** Signing algorithm of every token the hub makes itself: ECDSA P-256, small and fast to verify. */
export const HUB_ALGORITHM = 'ES256';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * Reads an ES256 private key (JWK) from a file, creating it on first use. Several processes may start
 * together: the key is written to a temporary file and linked into place, which succeeds for exactly one of
 * them; the others read the winner's key.
 */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = await generateKeyPair(HUB_ALGORITHM, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: HUB_ALGORITHM, use: 'sig' };
    const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600 });
    try {
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
  }
  return signingKeyFromJwk(JSON.parse(readFileSync(file, 'utf8')) as JWK);
}

export async function signingKeyFromJwk(jwk: JWK): Promise<SigningKey> {
  if (!jwk.d || !jwk.kid) throw new Error('a signing key must be a private JWK with a kid');
  const privateKey = (await importJWK(jwk, HUB_ALGORITHM)) as CryptoKey;
  return { kid: jwk.kid, privateKey, publicJwk: publicPart(jwk) };
}

/** The public half of a key: what verifiers get, never the private `d`. */
export function publicPart(jwk: JWK): JWK {
  const { d: _private, ...publicJwk } = jwk;
  return publicJwk;
}

/** Public key(s) from a file holding a JWK, a private JWK (its public part is used) or a JWK set. */
export function readPublicKeys(file: string): { keys: JWK[] } {
  const content = JSON.parse(readFileSync(file, 'utf8')) as JWK | { keys: JWK[] };
  const keys = 'keys' in content ? content.keys : [content];
  return { keys: keys.map(publicPart) };
}
