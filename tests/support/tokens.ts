import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Keys and tokens for tests, made with node:crypto alone: an implementation independent of the hub's own
 * (jose), so that the tests also check that the hub accepts standard ES256 JWTs, and can forge the ones it must
 * refuse (expired, wrong key, wrong audience).
 */
export function writeKeyFile(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(file, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' }));
  return file;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export interface TokenOptions {
  issuer?: string;
  /** `aud`: one audience, or several (a hub's call for all the members behind the next router). */
  audience?: string | readonly string[];
  /** Seconds from now; negative for a token that has already expired. */
  expiresIn?: number;
}

export function signToken(keyFile: string, claims: Record<string, unknown>, options: TokenOptions = {}): string {
  const jwk = JSON.parse(readFileSync(keyFile, 'utf8')) as { kid: string };
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: jwk.kid }));
  const payload = base64url(
    JSON.stringify({
      iss: options.issuer ?? 'integration-forum-hub/local',
      aud: options.audience ?? 'integration-forum-hub',
      iat: now,
      exp: now + (options.expiresIn ?? 3600),
      ...claims,
    }),
  );
  const key = createPrivateKey({ key: jwk as never, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${base64url(signature)}`;
}
