import path from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { DEFAULT_AUDIENCE, ensureLocalSigningKey, LOCAL_ISSUER, signLocalToken } from '../../src/auth/local-signing-key';
import { createTokenVerifier } from '../../src/auth/token-verifier';
import { testTempDir } from '../support/temp';

describe('bearer tokens of a local install', () => {
  const keyFile = path.join(testTempDir('ldl-auth-unit-'), 'key.json');
  const settings = { audience: DEFAULT_AUDIENCE, localKeyFile: keyFile };

  it('keeps one key: two processes creating it at once agree', async () => {
    const [a, b] = await Promise.all([ensureLocalSigningKey(keyFile), ensureLocalSigningKey(keyFile)]);
    expect(a.publicJwk.kid).toBe(b.publicJwk.kid);
  });

  it('accepts its own token and names the subject', async () => {
    const verify = await createTokenVerifier(settings);
    const token = await signLocalToken(await ensureLocalSigningKey(keyFile), 'caseworker-a');
    expect(await verify(token)).toEqual({ ok: true, subject: 'caseworker-a' });
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
  ])('refuses a token %s', async (_, make, reason) => {
    const verify = await createTokenVerifier(settings);
    expect(await verify(await make())).toEqual({ ok: false, reason });
  });
});
