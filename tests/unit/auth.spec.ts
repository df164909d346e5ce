import path from 'node:path';
import { SignJWT, generateKeyPair, importJWK } from 'jose';
import { DEFAULT_AUDIENCE, ensureLocalSigningKey, LOCAL_ISSUER, signLocalToken } from '../../src/auth/local-signing-key';
import { createTokenVerifier } from '../../src/auth/token-verifier';
import { testTempDir } from '../support/temp';

describe('bearer tokens of a local install', () => {
  const keyFile = path.join(testTempDir('ldl-auth-unit-'), 'key.json');
  const settings = { audience: DEFAULT_AUDIENCE, localKeyFile: keyFile };
  /** A token of the local key made by hand (what `npm run token` must never hand out). */
  const signWith = async (claims: Record<string, unknown>, shape: (jwt: SignJWT) => SignJWT) => {
    const key = await ensureLocalSigningKey(keyFile);
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.privateJwk.kid }).setSubject('admin').setIssuer(LOCAL_ISSUER).setAudience(DEFAULT_AUDIENCE);
    return shape(jwt).sign(await importJWK(key.privateJwk, 'ES256'));
  };

  it('keeps one key: two processes creating it at once agree', async () => {
    const [a, b] = await Promise.all([ensureLocalSigningKey(keyFile), ensureLocalSigningKey(keyFile)]);
    expect(a.publicJwk.kid).toBe(b.publicJwk.kid);
  });

  it('accepts its own token and names the subject', async () => {
    const verify = await createTokenVerifier(settings);
    const token = await signLocalToken(await ensureLocalSigningKey(keyFile), 'caseworker-a');
    expect(await verify(token)).toEqual({ ok: true, subject: 'caseworker-a', issuedAt: expect.any(Number) });
  });

  it('signs local tokens for at most 8 hours', async () => {
    const key = await ensureLocalSigningKey(keyFile);
    await expect(signLocalToken(key, 'admin', { ttlSeconds: 9 * 3600 })).rejects.toThrow(/at most 8 hours/);
    const verify = await createTokenVerifier(settings);
    expect(await verify(await signLocalToken(key, 'admin', { ttlSeconds: 8 * 3600 }))).toEqual({ ok: true, subject: 'admin', issuedAt: expect.any(Number) });
  });

  it.each([
    ['expired', async () => signLocalToken(await ensureLocalSigningKey(keyFile), 'caseworker-a', { ttlSeconds: -120 }), 'the token has expired'],
    ['for another audience', async () => signLocalToken(await ensureLocalSigningKey(keyFile), 'caseworker-a', { audience: 'other-service' }), "the token's aud claim is not accepted"],
    [
      'signed by another key',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setSubject('admin').setIssuer(LOCAL_ISSUER).setAudience(DEFAULT_AUDIENCE).setExpirationTime('1h').sign(privateKey);
      },
      'the token is not signed by the configured identity provider',
    ],
    ['unsigned (alg none)', async () => 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.', 'the token is not signed by the configured identity provider'],
    ['without exp (it would never expire)', async () => signWith({}, (jwt) => jwt), 'the token has no expiry (exp): every token must expire'],
    ['lasting 9 hours', async () => signWith({}, (jwt) => jwt.setIssuedAt().setExpirationTime('9h')), expect.stringContaining('a local token lasts at most 8 hours')],
    ['lasting 30 days without iat', async () => signWith({}, (jwt) => jwt.setExpirationTime('30d')), expect.stringContaining('a local token lasts at most 8 hours')],
    ['issued in the past to last 30 days', async () => signWith({}, (jwt) => jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime('30d')), expect.stringContaining('at most 8 hours')],
  ])('refuses a token %s', async (_, make, reason) => {
    const verify = await createTokenVerifier(settings);
    expect(await verify(await make())).toEqual({ ok: false, reason: { en: reason, zh: expect.stringMatching(/令牌/) } });
  });
});
