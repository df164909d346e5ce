import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuthSettings } from '../auth/token-verifier';
import type { WebhookSettings } from '../notifications/webhook';
import { DEFAULT_AUDIENCE } from '../auth/local-signing-key';
import { CASE_TASK_QUEUE_DEFAULT } from '../domain/shared-names';
import { PAYLOAD_KEYS_SETTING, PayloadKeyRing, PayloadKeysError } from '../infra/payload-codec';
import { projectRoot } from './paths';

export interface TemporalTlsSettings {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export interface AppConfig {
  /** Where the API listens (HOST, default 127.0.0.1; 0.0.0.0 in a container). */
  host: string;
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  runWorker: boolean;
  /** RUN_API=false with RUN_WORKER=true: a worker-only process that opens no HTTP port. */
  runApi: boolean;
  /** How long a stopping process lets in-flight requests finish before it closes their connections. */
  shutdownGraceMs: number;
  /** TLS to Temporal (TEMPORAL_TLS, mTLS with TEMPORAL_TLS_CERT_FILE/KEY_FILE, or TEMPORAL_API_KEY which implies TLS). */
  temporalTls?: TemporalTlsSettings | true;
  temporalApiKey?: string;
  /** The Temporal SDK's Prometheus exporter (TEMPORAL_METRICS_PORT), on HOST's address: off when absent. */
  temporalMetricsPort?: number;
  databasePoolSize: number;
  /** Past this, a request's call to Temporal or PostgreSQL gives up and the client gets 503 with Retry-After. */
  requestTimeoutMs: number;
  logLevel: string;
  /** Cases whose workflow state a worker keeps in memory between tasks; 0 replays each case from its history. */
  workflowCacheSize?: number;
  bodyLimit: string;
  auth: AuthSettings;
  /** Adds the demo units and users (root ⊃ a, b) at start: a local install's default, off with an identity provider. */
  demoDirectory: boolean;
  /** Where notifications are delivered besides the in-app inbox; absent: they wait in the outbox. */
  webhook?: WebhookSettings;
  notifyPollSeconds: number;
  /** PAYLOAD_ENCRYPTION_KEYS: the service refuses to start without them (the launcher generates one locally). */
  payloadEncryptionKeys?: PayloadKeyRing;
}

/** Reads and checks the settings once; a bad value stops the process with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const port = portSetting(env, 'PORT', 3000, problems)!;
  const host = env.HOST?.trim() || '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]_-]+$/.test(host)) problems.push(`HOST must be an address or host name to bind, got "${env.HOST}"`);
  const databaseUrl = env.DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgresql:// URL');
  const temporalAddress = env.TEMPORAL_ADDRESS ?? '';
  if (!/^[^\s:]+:\d+$/.test(temporalAddress)) problems.push(`TEMPORAL_ADDRESS must be host:port, got "${temporalAddress}"`);
  const runWorker = booleanSetting(env, 'RUN_WORKER', true, problems);
  const runApi = booleanSetting(env, 'RUN_API', true, problems);
  if (!runWorker && !runApi) problems.push('RUN_API and RUN_WORKER are both false: the process would do nothing');
  const shutdownGraceMs = integerSetting(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000, problems);
  const databasePoolSize = integerSetting(env, 'DATABASE_POOL_SIZE', 10, 1, 500, problems);
  const requestTimeoutMs = integerSetting(env, 'REQUEST_TIMEOUT_MS', 10_000, 100, 600_000, problems);
  const temporalMetricsPort = portSetting(env, 'TEMPORAL_METRICS_PORT', undefined, problems);
  const logLevel = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${env.LOG_LEVEL}"`);
  const { tls: temporalTls, apiKey: temporalApiKey } = temporalTlsSettings(env, problems);
  const cacheSize = env.WORKFLOW_CACHE_SIZE?.trim() ? Number(env.WORKFLOW_CACHE_SIZE) : undefined;
  if (cacheSize !== undefined && (!Number.isInteger(cacheSize) || cacheSize < 0)) {
    problems.push(`WORKFLOW_CACHE_SIZE must be a whole number ≥ 0, got "${env.WORKFLOW_CACHE_SIZE}"`);
  }
  const jwksUrl = env.AUTH_JWKS_URL?.trim() || undefined;
  if (jwksUrl && !/^https?:\/\/\S+$/.test(jwksUrl)) problems.push(`AUTH_JWKS_URL must be an http(s) URL of the identity provider's JWKS, got "${jwksUrl}"`);
  if (jwksUrl && !env.AUTH_ISSUER?.trim()) problems.push('AUTH_ISSUER is required with AUTH_JWKS_URL (the `iss` the identity provider puts in its tokens)');
  const demoDirectory = booleanSetting(env, 'DEMO_DIRECTORY', !jwksUrl, problems);
  let payloadEncryptionKeys: PayloadKeyRing | undefined;
  const keySetting = env[PAYLOAD_KEYS_SETTING];
  if (keySetting?.trim()) {
    try {
      payloadEncryptionKeys = PayloadKeyRing.parse(keySetting);
    } catch (error) {
      if (!(error instanceof PayloadKeysError)) throw error;
      problems.push(...error.problems);
    }
  }
  const webhookUrl = env.NOTIFY_WEBHOOK_URL?.trim() || undefined;
  if (webhookUrl && !/^https?:\/\/\S+$/.test(webhookUrl)) problems.push(`NOTIFY_WEBHOOK_URL must be an http(s) URL, got "${webhookUrl}"`);
  const webhookSecret = env.NOTIFY_WEBHOOK_SECRET ?? '';
  if (webhookUrl && webhookSecret.length < 16) problems.push('NOTIFY_WEBHOOK_SECRET is required with NOTIFY_WEBHOOK_URL: at least 16 characters, shared with the receiver to check signatures');
  const pollSeconds = Number(env.NOTIFY_POLL_SECONDS ?? 2);
  if (!Number.isFinite(pollSeconds) || pollSeconds < 0.1 || pollSeconds > 3600) problems.push(`NOTIFY_POLL_SECONDS must be a number of seconds 0.1–3600, got "${env.NOTIFY_POLL_SECONDS}"`);
  if (problems.length) throw new Error(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return {
    host,
    port,
    databaseUrl,
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TASK_QUEUE ?? CASE_TASK_QUEUE_DEFAULT,
    runWorker,
    runApi,
    shutdownGraceMs,
    ...(temporalTls ? { temporalTls } : {}),
    ...(temporalApiKey ? { temporalApiKey } : {}),
    temporalMetricsPort,
    databasePoolSize,
    requestTimeoutMs,
    logLevel,
    workflowCacheSize: cacheSize,
    bodyLimit: env.BODY_LIMIT ?? '64kb',
    auth: {
      jwksUrl,
      issuer: env.AUTH_ISSUER?.trim() || undefined,
      audience: env.AUTH_AUDIENCE?.trim() || DEFAULT_AUDIENCE,
      localKeyFile: localSigningKeyFile(env),
    },
    demoDirectory,
    ...(webhookUrl ? { webhook: { url: webhookUrl, secret: webhookSecret, timeoutMs: 10_000 } } : {}),
    notifyPollSeconds: pollSeconds,
    payloadEncryptionKeys,
  };
}

/** Where a local install keeps the key its demo tokens are signed with (`npm run token` reads the same file). */
export function localSigningKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.AUTH_LOCAL_KEY_FILE ?? path.join(env.DATA_DIR ?? path.join(projectRoot(), '.data'), 'auth', 'local-signing-key.json'));
}

function booleanSetting(env: NodeJS.ProcessEnv, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw !== 'true' && raw !== 'false') problems.push(`${name} must be true or false, got "${env[name]}"`);
  return raw === 'true';
}

function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) problems.push(`${name} must be a whole number ${min}–${max}, got "${env[name]}"`);
  return value;
}

function portSetting<T extends number | undefined>(env: NodeJS.ProcessEnv, name: string, fallback: T, problems: string[]): number | T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) problems.push(`${name} must be a port number 0–65535, got "${env[name]}"`);
  return value;
}

/** Files are read here, so a wrong path is named at start and not as a TLS error from deep inside the SDK. */
function temporalTlsSettings(env: NodeJS.ProcessEnv, problems: string[]): { tls?: TemporalTlsSettings | true; apiKey?: string } {
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  const read = (name: string): Buffer | undefined => {
    const file = env[name]?.trim();
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      problems.push(`${name} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${file})`);
      return undefined;
    }
  };
  const ca = read('TEMPORAL_TLS_CA_FILE');
  const crt = read('TEMPORAL_TLS_CERT_FILE');
  const key = read('TEMPORAL_TLS_KEY_FILE');
  if (!!env.TEMPORAL_TLS_CERT_FILE?.trim() !== !!env.TEMPORAL_TLS_KEY_FILE?.trim()) problems.push('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (the client certificate and its key, for mTLS)');
  const serverNameOverride = env.TEMPORAL_TLS_SERVER_NAME?.trim() || undefined;
  const wanted = booleanSetting(env, 'TEMPORAL_TLS', false, problems) || !!apiKey || !!ca || !!crt || !!serverNameOverride;
  if (!wanted) return {};
  const settings: TemporalTlsSettings = {
    ...(serverNameOverride ? { serverNameOverride } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
  return { tls: Object.keys(settings).length ? settings : true, apiKey };
}
