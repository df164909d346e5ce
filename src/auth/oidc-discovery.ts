/** What the service and the web app need of an OpenID Connect provider's discovery document. */
export interface OidcMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  endSessionEndpoint?: string;
}

const KEEP_MS = 60 * 60 * 1000;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * The provider's discovery document, fetched when first needed (the service starts while the provider is down) and
 * kept for an hour; a failed fetch is not kept, so the next request tries again.
 */
export class OidcDiscovery {
  private cached?: { metadata: Promise<OidcMetadata>; at: number };

  constructor(readonly issuer: string) {}

  metadata(): Promise<OidcMetadata> {
    if (!this.cached || Date.now() - this.cached.at > KEEP_MS) {
      const metadata = this.fetchMetadata();
      this.cached = { metadata, at: Date.now() };
      metadata.catch(() => (this.cached = undefined));
    }
    return this.cached.metadata;
  }

  private async fetchMetadata(): Promise<OidcMetadata> {
    const url = `${this.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch((error: Error) => {
      throw new Error(`the identity provider's discovery document (${url}) cannot be fetched: ${error.message}`);
    });
    if (!res.ok) throw new Error(`the identity provider's discovery document (${url}) answered HTTP ${res.status}`);
    const doc = (await res.json()) as Record<string, unknown>;
    // RFC 8414 §3.3: a document naming another issuer must not be used (it could hand out another provider's keys).
    if (doc.issuer !== this.issuer) throw new Error(`the discovery document at ${url} names the issuer ${String(doc.issuer)}, not AUTH_OIDC_ISSUER (${this.issuer})`);
    const endpoint = (name: string): string => {
      const value = doc[name];
      if (typeof value !== 'string' || !/^https?:\/\//.test(value)) throw new Error(`the discovery document at ${url} has no ${name}`);
      return value;
    };
    return {
      issuer: this.issuer,
      authorizationEndpoint: endpoint('authorization_endpoint'),
      tokenEndpoint: endpoint('token_endpoint'),
      jwksUri: endpoint('jwks_uri'),
      ...(typeof doc.end_session_endpoint === 'string' ? { endSessionEndpoint: endpoint('end_session_endpoint') } : {}),
    };
  }
}
