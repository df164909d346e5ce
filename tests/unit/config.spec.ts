import { loadConfig } from '../../src/config/config';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/app', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

describe('configuration', () => {
  it('fills the documented defaults', () => {
    expect(loadConfig(base)).toEqual({
      port: 3000,
      databaseUrl: base.DATABASE_URL,
      temporalAddress: base.TEMPORAL_ADDRESS,
      temporalNamespace: 'default',
      taskQueue: 'legal-deadlines',
      runWorker: true,
      workflowCacheSize: undefined,
      bodyLimit: '64kb',
    });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be a port number'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgresql:// URL'],
    [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS must be host:port'],
    [{ RUN_WORKER: 'maybe' }, 'RUN_WORKER must be true or false'],
    [{ WORKFLOW_CACHE_SIZE: '-1' }, 'WORKFLOW_CACHE_SIZE must be a whole number'],
    [{ WORKFLOW_CACHE_SIZE: 'lots' }, 'WORKFLOW_CACHE_SIZE must be a whole number'],
  ])('refuses %j naming the setting', (bad, message) => {
    expect(() => loadConfig({ ...base, ...bad })).toThrow(message);
  });

  it('reads a workflow cache size of 0 (replay every task from history)', () => {
    expect(loadConfig({ ...base, WORKFLOW_CACHE_SIZE: '0' }).workflowCacheSize).toBe(0);
  });
});
