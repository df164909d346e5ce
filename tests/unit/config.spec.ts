import { launcherSettings, loadConfig, localSigningKeyFile } from '../../src/config/config';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/app', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

describe('configuration', () => {
  it('fills the documented defaults', () => {
    expect(loadConfig(base)).toMatchObject({
      host: '127.0.0.1',
      runApi: true,
      shutdownGraceMs: 10_000,
      databasePoolSize: 10,
      requestTimeoutMs: 10_000,
      temporalMetricsPort: undefined,
      logLevel: 'info',
      port: 3000,
      databaseUrl: base.DATABASE_URL,
      temporalAddress: base.TEMPORAL_ADDRESS,
      temporalNamespace: 'default',
      taskQueue: 'legal-deadlines',
      runWorker: true,
      workflowCacheSize: undefined,
      bodyLimit: '64kb',
      auth: { jwksUrl: undefined, issuer: undefined, audience: 'legal-deadlines', localKeyFile: expect.stringMatching(/\/\.data\/auth\/local-signing-key\.json$/) },
      demoDirectory: true,
      notifyPollSeconds: 2,
    });
    expect(loadConfig(base).webhook).toBeUndefined();
  });

  it('takes an OpenID Connect provider for the web app, and then seeds no demo users', () => {
    const config = loadConfig({ ...base, AUTH_OIDC_ISSUER: 'https://idp.example.gov.cn/realms/credit', AUTH_OIDC_CLIENT_ID: 'ldl-web' });
    expect(config.auth.oidc).toEqual({ issuer: 'https://idp.example.gov.cn/realms/credit', clientId: 'ldl-web', scope: 'openid profile' });
    expect(config.demoDirectory).toBe(false);
    expect(loadConfig({ ...base, AUTH_OIDC_ISSUER: 'https://idp', AUTH_OIDC_CLIENT_ID: 'web', AUTH_OIDC_SCOPE: 'openid cases' }).auth.oidc?.scope).toBe('openid cases');
  });

  it('takes an identity provider instead of the local key, and then seeds no demo users', () => {
    const config = loadConfig({ ...base, AUTH_JWKS_URL: 'https://idp.example.gov.cn/jwks.json', AUTH_ISSUER: 'https://idp.example.gov.cn' });
    expect(config.auth).toMatchObject({ jwksUrl: 'https://idp.example.gov.cn/jwks.json', issuer: 'https://idp.example.gov.cn' });
    expect(config.demoDirectory).toBe(false);
  });

  it('reads a webhook with its signing secret', () => {
    const config = loadConfig({ ...base, NOTIFY_WEBHOOK_URL: 'https://hooks.example/in', NOTIFY_WEBHOOK_SECRET: 'x'.repeat(32) });
    expect(config.webhook).toEqual({ url: 'https://hooks.example/in', secret: 'x'.repeat(32), timeoutMs: 10_000 });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be a port number'],
    [{ PORT: 'abc' }, 'PORT must be a port number 0–65535, got "abc"'],
    [{ HOST: 'a host' }, 'HOST must be an address or host name'],
    [{ RUN_API: 'no' }, 'RUN_API must be true or false'],
    [{ RUN_API: 'false', RUN_WORKER: 'false' }, 'RUN_API and RUN_WORKER are both false'],
    [{ SHUTDOWN_GRACE_MS: '1.5' }, 'SHUTDOWN_GRACE_MS must be a whole number'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE must be a whole number 1–500'],
    [{ REQUEST_TIMEOUT_MS: 'soon' }, 'REQUEST_TIMEOUT_MS must be a whole number'],
    [{ TEMPORAL_METRICS_PORT: '99999' }, 'TEMPORAL_METRICS_PORT must be a port number'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ TEMPORAL_TLS: 'on' }, 'TEMPORAL_TLS must be true or false'],
    [{ TEMPORAL_TLS_CA_FILE: '/nonexistent/ca.pem' }, 'TEMPORAL_TLS_CA_FILE cannot be read: ENOENT'],
    [{ TEMPORAL_TLS_CERT_FILE: __filename }, 'TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgresql:// URL'],
    [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS must be host:port'],
    [{ RUN_WORKER: 'maybe' }, 'RUN_WORKER must be true or false'],
    [{ WORKFLOW_CACHE_SIZE: '-1' }, 'WORKFLOW_CACHE_SIZE must be a whole number'],
    [{ WORKFLOW_CACHE_SIZE: 'lots' }, 'WORKFLOW_CACHE_SIZE must be a whole number'],
    [{ AUTH_JWKS_URL: 'https://idp/jwks.json' }, 'AUTH_ISSUER is required with AUTH_JWKS_URL'],
    [{ AUTH_JWKS_URL: 'not a url', AUTH_ISSUER: 'x' }, 'AUTH_JWKS_URL must be an http(s) URL'],
    [{ DEMO_DIRECTORY: 'yes' }, 'DEMO_DIRECTORY must be true or false'],
    [{ AUTH_OIDC_ISSUER: 'https://idp.example.gov.cn' }, 'AUTH_OIDC_CLIENT_ID is required with AUTH_OIDC_ISSUER'],
    [{ AUTH_OIDC_ISSUER: 'https://idp', AUTH_OIDC_CLIENT_ID: 'web', AUTH_JWKS_URL: 'https://idp/jwks.json', AUTH_ISSUER: 'https://idp' }, 'AUTH_OIDC_ISSUER and AUTH_JWKS_URL are both set'],
    [{ AUTH_OIDC_ISSUER: 'idp.example', AUTH_OIDC_CLIENT_ID: 'web' }, 'AUTH_OIDC_ISSUER must be an http(s) URL'],
    [{ NOTIFY_WEBHOOK_URL: 'https://hooks.example/in' }, 'NOTIFY_WEBHOOK_SECRET is required with NOTIFY_WEBHOOK_URL'],
    [{ NOTIFY_POLL_SECONDS: '0' }, 'NOTIFY_POLL_SECONDS must be a number of seconds'],
    [{ NOTIFY_POLL_SECONDS: '1e1' }, 'NOTIFY_POLL_SECONDS must be a number of seconds 0.1–3600, got "1e1"'],
    [{ WORKFLOW_CACHE_SIZE: '1e3' }, 'WORKFLOW_CACHE_SIZE must be a whole number ≥ 0, got "1e3"'],
    [{ BODY_LIMIT: 'lots' }, 'BODY_LIMIT must be a size: bytes, or a number with kb, mb or gb (e.g. 64kb), got "lots"'],
    [{ DATABASE_URL: undefined }, 'DATABASE_URL is required: a postgresql:// URL'],
    [{ TEMPORAL_ADDRESS: ' ' }, 'TEMPORAL_ADDRESS is required: host:port'],
  ])('refuses %j naming the setting', (bad, message) => {
    expect(() => loadConfig({ ...base, ...bad })).toThrow(message);
  });

  it('names every bad setting at once, not only the first', () => {
    expect(() => loadConfig({ ...base, PORT: 'abc', RUN_API: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT[\s\S]*RUN_API[\s\S]*LOG_LEVEL/);
    // A rule between settings is checked also while another setting is bad.
    expect(() => loadConfig({ ...base, PORT: 'abc', RUN_API: 'false', RUN_WORKER: 'false' })).toThrow(/PORT must be[\s\S]*RUN_API and RUN_WORKER are both false/);
  });

  it('never repeats the database URL in a message: it holds the password', () => {
    const refusal = (() => {
      try {
        loadConfig({ ...base, DATABASE_URL: 'mysql://app:s3cret@db/app' });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(refusal).toContain('DATABASE_URL must be a postgresql:// URL');
    expect(refusal).not.toContain('s3cret');
  });

  it('takes an empty or blank setting as not set, and trims the others but the webhook secret', () => {
    const config = loadConfig({ ...base, TEMPORAL_NAMESPACE: '', TASK_QUEUE: '  ', PORT: ' 8080 ', LOG_LEVEL: 'DEBUG', NOTIFY_WEBHOOK_URL: 'https://hooks.example/in', NOTIFY_WEBHOOK_SECRET: ` ${'x'.repeat(16)} ` });
    expect(config).toMatchObject({ temporalNamespace: 'default', taskQueue: 'legal-deadlines', port: 8080, logLevel: 'debug' });
    expect(config.webhook?.secret).toBe(` ${'x'.repeat(16)} `);
  });

  it('finds the local signing key under DATA_DIR unless AUTH_LOCAL_KEY_FILE names it', () => {
    expect(localSigningKeyFile({ DATA_DIR: '/srv/ldl' })).toBe('/srv/ldl/auth/local-signing-key.json');
    expect(localSigningKeyFile({ DATA_DIR: '/srv/ldl', AUTH_LOCAL_KEY_FILE: '/keys/local.json' })).toBe('/keys/local.json');
    expect(loadConfig({ ...base, DATA_DIR: '/srv/ldl', AUTH_LOCAL_KEY_FILE: '' }).auth.localKeyFile).toBe('/srv/ldl/auth/local-signing-key.json');
  });

  it('takes the process shape, bind address and Temporal TLS from the environment', () => {
    const workerOnly = loadConfig({ ...base, RUN_API: 'false', HOST: '0.0.0.0', TEMPORAL_METRICS_PORT: '9464' });
    expect(workerOnly).toMatchObject({ runApi: false, runWorker: true, host: '0.0.0.0', temporalMetricsPort: 9464 });
    expect(loadConfig({ ...base, TEMPORAL_API_KEY: 'k' })).toMatchObject({ temporalTls: true, temporalApiKey: 'k' });
    const mtls = loadConfig({ ...base, TEMPORAL_TLS_CERT_FILE: __filename, TEMPORAL_TLS_KEY_FILE: __filename, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' });
    expect(mtls.temporalTls).toEqual({ serverNameOverride: 'temporal.internal', clientCertPair: { crt: expect.any(Buffer), key: expect.any(Buffer) } });
    expect(loadConfig(base).temporalTls).toBeUndefined();
  });

  it('reads a workflow cache size of 0 (replay every task from history)', () => {
    expect(loadConfig({ ...base, WORKFLOW_CACHE_SIZE: '0' }).workflowCacheSize).toBe(0);
  });

  it('checks the settings of `npm start` with the same rules', () => {
    expect(launcherSettings({ DATA_DIR: '/srv/ldl' })).toEqual({ dataDir: '/srv/ldl', host: '127.0.0.1', port: 3000, embeddedPgPort: 54329, temporalPort: 7233, temporalUiPort: 8233 });
    expect(() => launcherSettings({ PORT: 'abc', TEMPORAL_UI_PORT: '70000' })).toThrow(/PORT must be a port number 0–65535, got "abc"[\s\S]*TEMPORAL_UI_PORT must be a port number/);
  });
});
