import type { Said } from '../domain/said';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, JWTVerifyGetKey } from 'jose';
import { OidcDiscovery } from './oidc-discovery';
import { DEFAULT_AUDIENCE, ensureLocalSigningKey, LOCAL_ISSUER, LOCAL_TOKEN_MAX_SECONDS } from './local-signing-key';

/** Clock difference tolerated between the issuer and this service. */
const CLOCK_TOLERANCE_SECONDS = 60;

export interface AuthSettings {
  /** The agency's identity provider: its JWKS URL and issuer. Absent: the local signing key (a local install). */
  jwksUrl?: string;
  issuer?: string;
  audience: string;
  localKeyFile: string;
  /** An OpenID Connect provider the web app signs in with: its keys and issuer come from its discovery document. */
  oidc?: { issuer: string; clientId: string; scope: string };
}

/** `issuedAt`: the token's `iat` in seconds, when it has one (a deactivation refuses tokens issued before it). */
export type TokenCheck = { ok: true; subject: string; issuedAt?: number } | { ok: false; reason: Said };

/** Verifies bearer tokens with jose against the configured issuer's keys (an OpenID Connect provider's, a remote JWKS, or the local key). */
export async function createTokenVerifier(settings: AuthSettings, discovery = settings.oidc && new OidcDiscovery(settings.oidc.issuer)): Promise<(token: string) => Promise<TokenCheck>> {
  let keys: JWTVerifyGetKey;
  let issuer: string;
  const local = !settings.jwksUrl && !discovery;
  if (discovery) {
    // The key set of the jwks_uri discovery names now; jose's remote set caches keys and refetches on an unknown kid.
    const keySets = new Map<string, JWTVerifyGetKey>();
    keys = async (header, token) => {
      const { jwksUri } = await discovery.metadata();
      if (!keySets.has(jwksUri)) keySets.set(jwksUri, createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5_000, cooldownDuration: 30_000 }));
      return keySets.get(jwksUri)!(header, token);
    };
    issuer = discovery.issuer;
  } else if (settings.jwksUrl) {
    keys = createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    issuer = settings.issuer!;
  } else {
    const key = await ensureLocalSigningKey(settings.localKeyFile);
    keys = createLocalJWKSet({ keys: [key.publicJwk] });
    issuer = settings.issuer ?? LOCAL_ISSUER;
  }
  return async (token) => {
    try {
      // exp is required: a token without one would be good for ever.
      const { payload } = await jwtVerify(token, keys, { issuer, audience: settings.audience ?? DEFAULT_AUDIENCE, clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp'] });
      if (typeof payload.sub !== 'string' || !payload.sub) return { ok: false, reason: { en: 'the token names no subject (sub)', zh: '令牌未写明用户（sub）' } };
      // A token of the local key lasts at most 8 hours (a leaked one is not good for a month).
      if (local) {
        const now = Math.floor(Date.now() / 1000);
        const lifetime = payload.exp! - (typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now);
        if (lifetime > LOCAL_TOKEN_MAX_SECONDS + CLOCK_TOLERANCE_SECONDS) {
          return {
            ok: false,
            reason: {
              en: `a local token lasts at most ${LOCAL_TOKEN_MAX_SECONDS / 3600} hours (exp - iat); ask for a new one with \`npm run token -- <user>\``,
              zh: `本地令牌最长有效 ${LOCAL_TOKEN_MAX_SECONDS / 3600} 小时（exp - iat）；请用 \`npm run token -- <用户>\` 重新生成`,
            },
          };
        }
      }
      return { ok: true, subject: payload.sub, ...(typeof payload.iat === 'number' ? { issuedAt: payload.iat } : {}) };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: { en: 'the token has expired', zh: '令牌已过期，请重新登录' } };
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'exp' && error.reason === 'missing') return { ok: false, reason: { en: 'the token has no expiry (exp): every token must expire', zh: '令牌没有过期时间（exp）：每个令牌都必须会过期' } };
      if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: { en: `the token's ${error.claim} claim is not accepted`, zh: `令牌的 ${error.claim} 声明不被接受` } };
      if (error instanceof errors.JOSEError) return { ok: false, reason: { en: 'the token is not signed by the configured identity provider', zh: '令牌不是由所配置的身份认证服务签发的' } };
      throw error;
    }
  };
}
