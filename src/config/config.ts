import path from 'node:path';
import type { AuthSettings } from '../auth/token-verifier';
import type { WebhookSettings } from '../notifications/webhook';
import { DEFAULT_AUDIENCE } from '../auth/local-signing-key';
import { CASE_TASK_QUEUE_DEFAULT } from '../../workflows/contracts/case.contract';
import { PAYLOAD_KEYS_SETTING, PayloadKeyRing, PayloadKeysError } from '../infra/payload-codec';
import { projectRoot } from './paths';

export interface AppConfig {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  runWorker: boolean;
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
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number, got "${env.PORT}"`);
  const databaseUrl = env.DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgresql:// URL');
  const temporalAddress = env.TEMPORAL_ADDRESS ?? '';
  if (!/^[^\s:]+:\d+$/.test(temporalAddress)) problems.push(`TEMPORAL_ADDRESS must be host:port, got "${temporalAddress}"`);
  const runWorker = (env.RUN_WORKER ?? 'true').toLowerCase();
  if (!['true', 'false'].includes(runWorker)) problems.push('RUN_WORKER must be true or false');
  const cacheSize = env.WORKFLOW_CACHE_SIZE?.trim() ? Number(env.WORKFLOW_CACHE_SIZE) : undefined;
  if (cacheSize !== undefined && (!Number.isInteger(cacheSize) || cacheSize < 0)) {
    problems.push(`WORKFLOW_CACHE_SIZE must be a whole number ≥ 0, got "${env.WORKFLOW_CACHE_SIZE}"`);
  }
  const jwksUrl = env.AUTH_JWKS_URL?.trim() || undefined;
  if (jwksUrl && !/^https?:\/\/\S+$/.test(jwksUrl)) problems.push(`AUTH_JWKS_URL must be an http(s) URL of the identity provider's JWKS, got "${jwksUrl}"`);
  if (jwksUrl && !env.AUTH_ISSUER?.trim()) problems.push('AUTH_ISSUER is required with AUTH_JWKS_URL (the `iss` the identity provider puts in its tokens)');
  const demo = (env.DEMO_DIRECTORY ?? (jwksUrl ? 'false' : 'true')).toLowerCase();
  if (!['true', 'false'].includes(demo)) problems.push('DEMO_DIRECTORY must be true or false');
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
    port,
    databaseUrl,
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TASK_QUEUE ?? CASE_TASK_QUEUE_DEFAULT,
    runWorker: runWorker === 'true',
    workflowCacheSize: cacheSize,
    bodyLimit: env.BODY_LIMIT ?? '64kb',
    auth: {
      jwksUrl,
      issuer: env.AUTH_ISSUER?.trim() || undefined,
      audience: env.AUTH_AUDIENCE?.trim() || DEFAULT_AUDIENCE,
      localKeyFile: localSigningKeyFile(env),
    },
    demoDirectory: demo === 'true',
    ...(webhookUrl ? { webhook: { url: webhookUrl, secret: webhookSecret, timeoutMs: 10_000 } } : {}),
    notifyPollSeconds: pollSeconds,
    payloadEncryptionKeys,
  };
}

/** Where a local install keeps the key its demo tokens are signed with (`npm run token` reads the same file). */
export function localSigningKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.AUTH_LOCAL_KEY_FILE ?? path.join(env.DATA_DIR ?? path.join(projectRoot(), '.data'), 'auth', 'local-signing-key.json'));
}
