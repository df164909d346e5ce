import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, JWTVerifyGetKey } from 'jose';
import { DEFAULT_AUDIENCE, ensureLocalSigningKey, LOCAL_ISSUER } from './local-signing-key';

export interface AuthSettings {
  /** The agency's identity provider: its JWKS URL and issuer. Absent: the local signing key (a local install). */
  jwksUrl?: string;
  issuer?: string;
  audience: string;
  localKeyFile: string;
}

export type TokenCheck = { ok: true; subject: string } | { ok: false; reason: string };

/** Verifies bearer tokens with jose against the configured issuer's keys (remote JWKS, or the local key). */
export async function createTokenVerifier(settings: AuthSettings): Promise<(token: string) => Promise<TokenCheck>> {
  let keys: JWTVerifyGetKey;
  let issuer: string;
  if (settings.jwksUrl) {
    keys = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    issuer = settings.issuer!;
  } else {
    const key = await ensureLocalSigningKey(settings.localKeyFile);
    keys = createLocalJWKSet({ keys: [key.publicJwk] });
    issuer = settings.issuer ?? LOCAL_ISSUER;
  }
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, { issuer, audience: settings.audience ?? DEFAULT_AUDIENCE, clockTolerance: 60 });
      if (typeof payload.sub !== 'string' || !payload.sub) return { ok: false, reason: 'the token names no subject (sub)' };
      return { ok: true, subject: payload.sub };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'the token has expired' };
      if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: `the token's ${error.claim} claim is not accepted` };
      if (error instanceof errors.JOSEError) return { ok: false, reason: 'the token is not signed by the configured identity provider' };
      throw error;
    }
  };
}
