// A real OpenID Connect provider (panva's oidc-provider) for the browser tests, in a process of its own: the package is
// ES modules only, which Jest's CommonJS runtime cannot load. It listens at once and prints its issuer; the client is
// registered when the test sends the service's URL (a JSON line on stdin), since the service is started with the issuer.
// Later lines change the access tokens' lifetime. Accounts: any login name, as devInteractions' form accepts.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import Provider from 'oidc-provider';

const CLIENT_ID = process.env.OIDC_CLIENT_ID ?? 'ldl-web';
const AUDIENCE = process.env.OIDC_AUDIENCE ?? 'legal-deadlines';
let accessTokenTtl = 600;
let callback = (_req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = createServer((req, res) => callback(req, res));
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer: `http://127.0.0.1:${server.address().port}` })}\n`);
});

function start(issuer, serviceUrl) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${serviceUrl}/`],
        post_logout_redirect_uris: [`${serviceUrl}/`],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomUUID()] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: id }) }),
    clientBasedCORS: (_ctx, origin) => origin === new URL(serviceUrl).origin,
    features: {
      devInteractions: { enabled: true },
      // Access tokens for the service: JWTs with its audience, whatever resource the browser names (it names none; a
      // resource indicator is an absolute URI, the audience the service checks need not be).
      resourceIndicators: {
        enabled: true,
        defaultResource: () => `urn:${AUDIENCE}`,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'cases', audience: AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL: accessTokenTtl, jwt: { sign: { alg: 'RS256' } } }),
      },
    },
  });
  callback = provider.callback();
}

let issuer;
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.accessTokenTtl) accessTokenTtl = message.accessTokenTtl;
  if (message.serviceUrl) start((issuer = `http://127.0.0.1:${server.address().port}`), message.serviceUrl);
  process.stdout.write(`${JSON.stringify({ ok: true, issuer })}\n`);
});
lines.on('close', () => process.exit(0));
