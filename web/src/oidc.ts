import * as oauth from 'oauth4webapi';
import type { Session } from './api';

/** The agency's identity provider as GET /sign-in/options describes it. */
export interface OidcOptions {
  issuer: string;
  clientId: string;
  scope: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  endSessionEndpoint?: string;
}

const PENDING = 'ldl.oidc.pending';

/** The provider sends the browser back to the app's root: the callback is read on load (its query), routes stay after `#`. */
const redirectUri = () => `${location.origin}/`;

const serverOf = (o: OidcOptions): oauth.AuthorizationServer => ({
  issuer: o.issuer,
  authorization_endpoint: o.authorizationEndpoint,
  token_endpoint: o.tokenEndpoint,
  ...(o.endSessionEndpoint ? { end_session_endpoint: o.endSessionEndpoint } : {}),
});

// oauth4webapi refuses plain http; a provider configured with an http issuer (a test, a closed network) is the
// administrator's choice, already made in AUTH_OIDC_ISSUER.
const transportOf = (o: OidcOptions) => (new URL(o.issuer).protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {});

/** Sends the browser to the provider: authorization code with PKCE (S256); state and verifier wait in sessionStorage. */
export async function startOidcSignIn(options: OidcOptions): Promise<void> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ state, codeVerifier, options }));
  const url = new URL(options.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: redirectUri(),
    scope: options.scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

/** The page was loaded by the provider's redirect back (a code, or an error, with the state). */
export function isOidcCallback(): boolean {
  const query = new URLSearchParams(location.search);
  return query.has('state') && (query.has('code') || query.has('error'));
}

let finishing: Promise<Session> | undefined;

/** Exchanges the callback's code for the tokens (once, however often it is called), then clears the query from the URL. */
export function finishOidcSignIn(): Promise<Session> {
  finishing ??= exchangeCode().finally(() => history.replaceState(null, '', `/${location.hash}`));
  return finishing;
}

async function exchangeCode(): Promise<Session> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { state: string; codeVerifier: string; options: OidcOptions } | null;
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('no sign-in was started in this tab');
  const { options } = pending;
  const server = serverOf(options);
  const client: oauth.Client = { client_id: options.clientId };
  const params = oauth.validateAuthResponse(server, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(server, client, oauth.None(), params, redirectUri(), pending.codeVerifier, transportOf(options));
  const tokens = await oauth.processAuthorizationCodeResponse(server, client, response);
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  const accessClaims = jwtClaims(tokens.access_token);
  // The API refuses the token at its exp: the session ends then (the provider's expires_in if the token says none).
  const expiresAt = typeof accessClaims.exp === 'number' ? accessClaims.exp * 1000 : Date.now() + (tokens.expires_in ?? 0) * 1000;
  return {
    token: tokens.access_token,
    expiresAt: new Date(expiresAt).toISOString(),
    user: claims?.sub ?? String(accessClaims.sub ?? ''),
    ...(options.endSessionEndpoint ? { signOutUrl: endSessionUrl(options.endSessionEndpoint, options.clientId) } : {}),
  };
}

function endSessionUrl(endpoint: string, clientId: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('post_logout_redirect_uri', redirectUri());
  return url.href;
}

/** The claims of a JWT, read without checking its signature: the API checks it; the app only wants its expiry. */
function jwtClaims(token: string): { exp?: unknown; sub?: unknown } {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)) as { exp?: unknown; sub?: unknown };
  } catch {
    return {};
  }
}
