import { loadConfig } from '../../src/config/config';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/app', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

describe('configuration', () => {
  it('fills the documented defaults', () => {
    expect(loadConfig(base)).toMatchObject({
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

  it('reads a workflow cache size of 0 (replay every task from history)', () => {
    expect(loadConfig({ ...base, WORKFLOW_CACHE_SIZE: '0' }).workflowCacheSize).toBe(0);
  });
});
