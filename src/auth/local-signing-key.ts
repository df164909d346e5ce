import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, SignJWT } from 'jose';

/** The issuer of the tokens a local install signs itself (`npm run token`). */
export const LOCAL_ISSUER = 'legal-deadlines-local';
export const DEFAULT_AUDIENCE = 'legal-deadlines';
const ALG = 'ES256';
/** The longest a token of the local key lasts: a working day. The verifier refuses longer ones. */
export const LOCAL_TOKEN_MAX_SECONDS = 8 * 3600;

export interface LocalSigningKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The key a local install signs its demo tokens with, created once (mode 0600) and reused. Two processes creating it
 * at once agree on one: the file appears atomically by a hard link, and the loser reads the winner's key.
 */
export async function ensureLocalSigningKey(file: string): Promise<LocalSigningKey> {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = randomUUID();
    const key: LocalSigningKey = {
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
    };
    const draft = `${file}.${process.pid}.${kid}`;
    writeFileSync(draft, JSON.stringify(key, null, 2), { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
    chmodSync(file, 0o600);
  }
  const key = JSON.parse(readFileSync(file, 'utf8')) as LocalSigningKey;
  if (!key.privateJwk?.kid || !key.publicJwk?.kid) throw new Error(`${file} is not a signing key written by this service; remove it to have a new one made`);
  return key;
}

/** A token for one user of the local directory, as an identity provider would issue it (at most 8 hours). */
export async function signLocalToken(key: LocalSigningKey, userId: string, o: { audience?: string; ttlSeconds?: number } = {}): Promise<string> {
  const ttlSeconds = o.ttlSeconds ?? LOCAL_TOKEN_MAX_SECONDS;
  if (ttlSeconds > LOCAL_TOKEN_MAX_SECONDS) throw new RangeError(`a local token lasts at most ${LOCAL_TOKEN_MAX_SECONDS / 3600} hours, not ${ttlSeconds / 3600}`);
  const privateKey = await importJWK(key.privateJwk, ALG);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALG, kid: key.privateJwk.kid, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(o.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(privateKey);
}
