import { loadConfig } from '../../src/config/config';

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
    [{ NOTIFY_WEBHOOK_URL: 'https://hooks.example/in' }, 'NOTIFY_WEBHOOK_SECRET is required with NOTIFY_WEBHOOK_URL'],
    [{ NOTIFY_POLL_SECONDS: '0' }, 'NOTIFY_POLL_SECONDS must be a number of seconds'],
  ])('refuses %j naming the setting', (bad, message) => {
    expect(() => loadConfig({ ...base, ...bad })).toThrow(message);
  });

  it('names every bad setting at once, not only the first', () => {
    expect(() => loadConfig({ ...base, PORT: 'abc', RUN_API: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT[\s\S]*RUN_API[\s\S]*LOG_LEVEL/);
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
});
