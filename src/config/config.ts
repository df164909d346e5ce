import path from 'node:path';
import { z } from 'zod';
import type { AuthSettings } from '../auth/token-verifier';
import type { WebhookSettings } from '../notifications/webhook';
import { PAYLOAD_KEYS_SETTING, PayloadKeyRing } from '../infra/payload-codec';
import { PERSONAL_DATA_CIPHER_SETTING, type PersonalDataSuite } from '../infra/personal-data';
import { projectRoot } from './paths';
import { LAUNCHER_SETTING_SHAPE, Settings, SETTING_SHAPE, SETTINGS, settingProblems, settingValues } from './settings';

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
  /** Adds the demo units and users (root ⊃ a, b) at start: a local install's default, off with an identity provider. Their sign-in by a click also needs a loopback HOST. */
  demoDirectory: boolean;
  /** Where notifications are delivered besides the in-app inbox; absent: no outbox message is kept (decision 0025). */
  webhook?: WebhookSettings;
  notifyPollSeconds: number;
  /** PAYLOAD_ENCRYPTION_KEYS: the service refuses to start without them (the launcher generates one locally). */
  payloadEncryptionKeys?: PayloadKeyRing;
  /** PERSONAL_DATA_CIPHER: the suite that encrypts the subject in PostgreSQL, with keys derived from the payload keys. */
  personalDataCipher: PersonalDataSuite;
  /** The Temporal Web UI origins the codec endpoint answers cross-origin (CODEC_CORS_ORIGINS). */
  codecCorsOrigins: string[];
}

/** Reads and checks the settings once (settings.ts); a bad value stops the process with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const s = parseSettings(SETTINGS, env);
  const temporalTls = temporalTlsSettings(s);
  return {
    host: s.HOST,
    port: s.PORT,
    databaseUrl: s.DATABASE_URL,
    temporalAddress: s.TEMPORAL_ADDRESS,
    temporalNamespace: s.TEMPORAL_NAMESPACE,
    taskQueue: s.TASK_QUEUE,
    runWorker: s.RUN_WORKER,
    runApi: s.RUN_API,
    shutdownGraceMs: s.SHUTDOWN_GRACE_MS,
    ...(temporalTls ? { temporalTls } : {}),
    ...(s.TEMPORAL_API_KEY ? { temporalApiKey: s.TEMPORAL_API_KEY } : {}),
    temporalMetricsPort: s.TEMPORAL_METRICS_PORT,
    databasePoolSize: s.DATABASE_POOL_SIZE,
    requestTimeoutMs: s.REQUEST_TIMEOUT_MS,
    logLevel: s.LOG_LEVEL,
    workflowCacheSize: s.WORKFLOW_CACHE_SIZE,
    bodyLimit: s.BODY_LIMIT,
    auth: {
      jwksUrl: s.AUTH_JWKS_URL,
      issuer: s.AUTH_ISSUER,
      audience: s.AUTH_AUDIENCE,
      localKeyFile: keyFileOf(s),
      ...(s.AUTH_OIDC_ISSUER ? { oidc: { issuer: s.AUTH_OIDC_ISSUER, clientId: s.AUTH_OIDC_CLIENT_ID!, scope: s.AUTH_OIDC_SCOPE } } : {}),
    },
    demoDirectory: s.DEMO_DIRECTORY ?? !(s.AUTH_JWKS_URL || s.AUTH_OIDC_ISSUER),
    ...(s.NOTIFY_WEBHOOK_URL ? { webhook: { url: s.NOTIFY_WEBHOOK_URL, secret: s.NOTIFY_WEBHOOK_SECRET!, timeoutMs: 10_000 } } : {}),
    notifyPollSeconds: s.NOTIFY_POLL_SECONDS,
    payloadEncryptionKeys: s[PAYLOAD_KEYS_SETTING],
    personalDataCipher: s[PERSONAL_DATA_CIPHER_SETTING],
    codecCorsOrigins: s.CODEC_CORS_ORIGINS.split(',').map((o) => o.trim()),
  };
}

const LAUNCHER_SETTINGS = z.object({ DATA_DIR: SETTING_SHAPE.DATA_DIR, HOST: SETTING_SHAPE.HOST, PORT: SETTING_SHAPE.PORT, ...LAUNCHER_SETTING_SHAPE });

/** What `npm start` (launcher.ts) needs before the rest of the settings: where its data lives and its servers' ports. */
export function launcherSettings(env: NodeJS.ProcessEnv) {
  const s = parseSettings(LAUNCHER_SETTINGS, env);
  return {
    dataDir: path.resolve(s.DATA_DIR ?? path.join(projectRoot(), '.data')),
    host: s.HOST,
    port: s.PORT,
    embeddedPgPort: s.EMBEDDED_PG_PORT,
    temporalPort: s.TEMPORAL_PORT,
    temporalUiPort: s.TEMPORAL_UI_PORT,
  };
}

/** Where a local install keeps the key its demo tokens are signed with (`npm run token` reads the same file). */
export function localSigningKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return keyFileOf(parseSettings(z.object({ AUTH_LOCAL_KEY_FILE: SETTING_SHAPE.AUTH_LOCAL_KEY_FILE, DATA_DIR: SETTING_SHAPE.DATA_DIR }), env));
}

/** The settings `schema` names, from the environment; every problem at once, each naming its setting. */
function parseSettings<T extends z.ZodObject>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(settingValues(env, Object.keys(schema.shape)));
  if (!parsed.success) throw new Error(`invalid configuration:\n  - ${settingProblems(parsed.error).join('\n  - ')}`);
  return parsed.data;
}

function keyFileOf(s: Pick<Settings, 'AUTH_LOCAL_KEY_FILE' | 'DATA_DIR'>): string {
  return path.resolve(s.AUTH_LOCAL_KEY_FILE ?? path.join(s.DATA_DIR ?? path.join(projectRoot(), '.data'), 'auth', 'local-signing-key.json'));
}

function temporalTlsSettings(s: Settings): TemporalTlsSettings | true | undefined {
  const ca = s.TEMPORAL_TLS_CA_FILE;
  const crt = s.TEMPORAL_TLS_CERT_FILE;
  const key = s.TEMPORAL_TLS_KEY_FILE;
  const serverNameOverride = s.TEMPORAL_TLS_SERVER_NAME;
  if (!s.TEMPORAL_TLS && !s.TEMPORAL_API_KEY && !ca && !crt && !serverNameOverride) return undefined;
  const settings: TemporalTlsSettings = {
    ...(serverNameOverride ? { serverNameOverride } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
  return Object.keys(settings).length ? settings : true;
}
