import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_AUDIENCE } from '../auth/local-signing-key';
import { CASE_TASK_QUEUE_DEFAULT } from '../domain/shared-names';
import { PAYLOAD_KEYS_SETTING, PayloadKeyRing, PayloadKeysError } from '../infra/payload-codec';
import { PERSONAL_DATA_CIPHER_SETTING, PERSONAL_DATA_SUITES } from '../infra/personal-data';

/**
 * What docs/operations.md says of a setting (its table is generated from these: `npm run docs:settings`). `refused`
 * is derived from the setting's rule unless given; `alsoRefused` adds the rules it shares with other settings.
 */
export type SettingDoc = {
  description: string;
  /** The default as the table shows it: the value, or where it depends on where the service runs or on another setting, how. */
  defaultText: string;
  refused: string;
};

interface Rule<T> {
  schema: z.ZodType<T, string>;
  /** What a value must be, completing "NAME must be …"; absent: any text. */
  rule?: string;
}

/** `PORT must be a port number 0–65535, got "abc"`: the rule, and the value unless it is a secret (a password in a URL). */
const mustBe =
  (rule: string, secret = false) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? `is required: ${rule}` : secret ? `must be ${rule}` : `must be ${rule}, got "${String(issue.input)}"`;

function text(): Rule<string> {
  return { schema: z.string().trim() };
}

function matching(pattern: RegExp, rule: string, secret = false): Rule<string> {
  return { schema: z.string({ error: mustBe(rule, secret) }).trim().regex(pattern, { error: mustBe(rule, secret) }), rule };
}

function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER, rule = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number ${min}–${max}`): Rule<number> {
  const schema = z
    .string({ error: mustBe(rule) })
    .trim()
    .refine((s) => /^\d+$/.test(s) && Number(s) >= min && Number(s) <= max, { error: mustBe(rule) })
    .transform(Number);
  return { schema, rule };
}

function port(): Rule<number> {
  return wholeNumber(0, 65535, 'a port number 0–65535');
}

function decimal(min: number, max: number, rule: string): Rule<number> {
  const schema = z
    .string({ error: mustBe(rule) })
    .trim()
    .refine((s) => /^\d+(\.\d+)?$/.test(s) && Number(s) >= min && Number(s) <= max, { error: mustBe(rule) })
    .transform(Number);
  return { schema, rule };
}

function oneOf<const T extends string>(values: readonly T[], rule = `one of ${values.join(', ')}`): Rule<T> {
  const schema = z
    .string({ error: mustBe(rule) })
    .trim()
    .toLowerCase()
    .refine((s) => (values as readonly string[]).includes(s), { error: mustBe(rule) })
    .transform((s) => s as T);
  return { schema, rule };
}

function flag(): Rule<boolean> {
  const { schema } = oneOf(['true', 'false'], 'true or false');
  return { schema: schema.transform((s) => s === 'true'), rule: 'true or false' };
}

/** Read here, so a wrong path is named at start and not as a TLS error from deep inside the SDK. */
function readableFile(): Rule<Buffer> {
  const schema = z
    .string()
    .trim()
    .transform((file, ctx) => {
      try {
        return readFileSync(file);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${file})` });
        return z.NEVER;
      }
    });
  return { schema };
}

function payloadKeys(): Rule<PayloadKeyRing> {
  const schema = z.string().transform((value, ctx) => {
    try {
      return PayloadKeyRing.parse(value);
    } catch (error) {
      if (!(error instanceof PayloadKeysError)) throw error;
      // Its problems name the setting already; settingProblems adds the name back.
      for (const problem of error.problems) ctx.addIssue({ code: 'custom', message: problem.replace(`${PAYLOAD_KEYS_SETTING} `, '') });
      return z.NEVER;
    }
  });
  return { schema };
}

interface SettingOptions {
  description: string;
  defaultText?: string;
  refused?: string;
  alsoRefused?: string;
}

function setting<T>(rule: Rule<T>, options: SettingOptions & { required: true }): z.ZodType<T, string>;
function setting<T>(rule: Rule<T>, options: SettingOptions & { default: NoInfer<T> }): z.ZodDefault<z.ZodType<T, string>>;
function setting<T>(rule: Rule<T>, options: SettingOptions): z.ZodOptional<z.ZodType<T, string>>;
function setting<T>(rule: Rule<T>, options: SettingOptions & { required?: true; default?: T }): z.ZodType {
  const refused = options.refused ?? [rule.rule && `not ${rule.rule}`, options.alsoRefused].filter(Boolean).join('; ');
  const shownDefault = options.defaultText ?? (options.required ? '— (required)' : options.default !== undefined ? `\`${String(options.default)}\`` : '—');
  const doc: SettingDoc = {
    description: options.description,
    defaultText: shownDefault,
    refused: refused ? `${refused.charAt(0).toUpperCase()}${refused.slice(1)}.` : '—',
  };
  const schema = options.required ? rule.schema : options.default !== undefined ? rule.schema.default(options.default as z.util.NoUndefined<T>) : rule.schema.optional();
  return schema.meta(doc);
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const HTTP_URL = /^https?:\/\/\S+$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting the service reads from its environment: its type, default, rule and what it does. Read once at start
 * (config.ts); a value that breaks its rule stops the process with a message naming the setting and the rule.
 */
export const SETTING_SHAPE = {
  DATABASE_URL: setting(matching(/^postgres(ql)?:\/\//, 'a postgresql:// URL', true), {
    description: "The service's PostgreSQL database.",
    required: true,
    refused: 'Not a `postgres://` or `postgresql://` URL',
  }),
  TEMPORAL_ADDRESS: setting(matching(/^[^\s:]+:\d+$/, 'host:port'), { description: 'Temporal frontend, `host:port`.', required: true, refused: 'Not `host:port`' }),
  TEMPORAL_NAMESPACE: setting(text(), { description: 'The namespace cases run in. It must exist.', default: 'default' }),
  TASK_QUEUE: setting(text(), { description: 'The task queue of the case workflows. The same for API and workers.', default: CASE_TASK_QUEUE_DEFAULT }),
  [PAYLOAD_KEYS_SETTING]: setting(payloadKeys(), {
    description: '`keyId:base64(32 bytes)`, comma-separated. The first key encrypts, all decrypt ([decision 0007](decisions/0007-payload-encryption.md)).',
    defaultText: '— (required by `main.js`)',
    refused: 'Missing; an entry not `keyId:key`, a key not 32 bytes of base64, a repeated key id',
  }),
  [PERSONAL_DATA_CIPHER_SETTING]: setting(oneOf(PERSONAL_DATA_SUITES), {
    description:
      "Cipher suite of the subject's name and identifier in PostgreSQL, with keys derived from `PAYLOAD_ENCRYPTION_KEYS`: `aes-256-gcm` and HMAC-SHA-256, or `sm4` (SM4-CBC with HMAC-SM3, and HMAC-SM3 lookup hashes) for the commercial-cryptography rules. A change re-encrypts the read model at the next start ([decision 0021](decisions/0021-personal-data-at-rest.md)).",
    default: 'aes-256-gcm',
  }),
  HOST: setting(matching(/^[A-Za-z0-9.:[\]_-]+$/, 'an address or host name to bind'), {
    description: 'The address the API binds.',
    default: DEFAULT_HOST,
    defaultText: '`127.0.0.1` (`0.0.0.0` in the image)',
    refused: 'Characters other than letters, digits, `.:[]_-`',
  }),
  PORT: setting(port(), { description: "The API's port.", default: 3000 }),
  RUN_API: setting(flag(), { description: 'Run the HTTP API.', default: true, alsoRefused: 'both `RUN_API` and `RUN_WORKER` false' }),
  RUN_WORKER: setting(flag(), { description: 'Run a Temporal worker.', default: true }),
  SHUTDOWN_GRACE_MS: setting(wholeNumber(0, 600_000), { description: 'How long in-flight requests, then running activities, may finish on stop.', default: 10_000 }),
  REQUEST_TIMEOUT_MS: setting(wholeNumber(100, 600_000), {
    description:
      "Bound of a request's calls to Temporal, and of every PostgreSQL wait: pool wait and a new connection's handshake, `statement_timeout`, and the client's own wait for an answer (a hung server). Past it: 503 with `Retry-After`; a request still unanswered 0.5 s later gets that 503 whatever it waits on.",
    default: DEFAULT_REQUEST_TIMEOUT_MS,
  }),
  DATABASE_POOL_SIZE: setting(wholeNumber(1, 500), { description: 'PostgreSQL connections per process at most.', default: 10 }),
  TEMPORAL_METRICS_PORT: setting(port(), {
    description: "The Temporal SDK's Prometheus exporter, on `HOST`'s address (`0.0.0.0` when `HOST` is a name other than `localhost`).",
    defaultText: 'off',
  }),
  TEMPORAL_TLS: setting(flag(), { description: "TLS to Temporal with the system's CA roots.", default: false }),
  TEMPORAL_TLS_CA_FILE: setting(readableFile(), { description: "CA certificate of Temporal's server (PEM). Implies TLS.", refused: 'File cannot be read' }),
  TEMPORAL_TLS_CERT_FILE: setting(readableFile(), {
    description: 'Client certificate for mTLS (PEM), with `TEMPORAL_TLS_KEY_FILE`. Implies TLS.',
    refused: 'Set without `TEMPORAL_TLS_KEY_FILE`; file cannot be read',
  }),
  TEMPORAL_TLS_KEY_FILE: setting(readableFile(), {
    description: 'Key of the client certificate, with `TEMPORAL_TLS_CERT_FILE`.',
    refused: 'Set without `TEMPORAL_TLS_CERT_FILE`; file cannot be read',
  }),
  TEMPORAL_TLS_SERVER_NAME: setting(text(), { description: "Server name to verify instead of the address's host. Implies TLS." }),
  TEMPORAL_API_KEY: setting(text(), { description: 'API key (e.g. Temporal Cloud). Implies TLS.' }),
  WORKFLOW_CACHE_SIZE: setting(wholeNumber(0), {
    description:
      'Cases a worker keeps in memory between tasks; a case outside the cache is replayed from its history at every task; `0` replays each task from history. Raise the heap (`NODE_OPTIONS=--max-old-space-size=…`) to cache more.',
    defaultText: "three quarters of the heap at 256 KiB per case (12,432 with Node's default heap on a 24 GiB machine; decision 0028)",
  }),
  LOG_LEVEL: setting(oneOf(LOG_LEVELS), {
    description: '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent` (any case).',
    default: 'info',
    refused: 'Another value',
  }),
  BODY_LIMIT: setting(matching(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'a size: bytes, or a number with kb, mb or gb (e.g. 64kb)'), {
    description: 'Largest request body; larger → 413.',
    default: '64kb',
  }),
  AUTH_JWKS_URL: setting(matching(HTTP_URL, "an http(s) URL of the identity provider's JWKS"), {
    description: "JWKS of the agency's identity provider.",
    refused: 'Not an http(s) URL; set without `AUTH_ISSUER`',
  }),
  AUTH_ISSUER: setting(text(), { description: "The `iss` of the provider's tokens. Required with `AUTH_JWKS_URL`." }),
  AUTH_OIDC_ISSUER: setting(matching(HTTP_URL, 'an http(s) URL of an OpenID Connect issuer'), {
    description:
      "The agency's OpenID Connect provider (discovery at `<issuer>/.well-known/openid-configuration`): the web app signs in there (authorization code + PKCE), and tokens are verified against its `jwks_uri` with this `iss`. Its access tokens must be JWTs with `aud` = `AUTH_AUDIENCE` and `sub` = a user id. Instead of `AUTH_JWKS_URL`.",
    refused: 'Not an http(s) URL; set with `AUTH_JWKS_URL`; set without `AUTH_OIDC_CLIENT_ID`',
  }),
  AUTH_OIDC_CLIENT_ID: setting(text(), { description: "The web app's client id at the provider: a public client (no secret, PKCE), redirect URI `<the app's origin>/`. Required with `AUTH_OIDC_ISSUER`." }),
  AUTH_OIDC_SCOPE: setting(text(), { description: 'The scope the web app asks the provider for.', default: 'openid profile' }),
  AUTH_AUDIENCE: setting(text(), { description: 'The `aud` tokens must carry.', default: DEFAULT_AUDIENCE }),
  AUTH_LOCAL_KEY_FILE: setting(text(), {
    description:
      'Without an identity provider: the key local tokens are signed with, made on first use. A local token lasts at most 8 hours (`npm run -s token -- <user> [hours]`); longer ones, and any token without `exp`, are refused (401).',
    defaultText: '`$DATA_DIR/auth/local-signing-key.json`',
  }),
  DATA_DIR: setting(text(), {
    description: 'Holds the local signing key (and, for `npm start`, everything else).',
    defaultText: '`.data` in the checkout (`/data` in the image)',
  }),
  DEMO_DIRECTORY: setting(flag(), {
    description: 'Adds the demo units and users at start. Their sign-in by a click is offered only while `HOST` is a loopback address (`127.0.0.1`, `::1`, `localhost`) and no identity provider is set.',
    defaultText: '`true` without `AUTH_JWKS_URL` or `AUTH_OIDC_ISSUER`, else `false`',
  }),
  CODEC_CORS_ORIGINS: setting(matching(/^https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*$/, 'comma-separated origins, each http(s)://host[:port] with no path'), {
    description:
      "The Temporal Web UI's origins allowed to call the codec endpoint (`/codec/decode`, `/codec/encode`) from the browser. The endpoint decrypts for administrators only, recording each decode; anyone else gets the payloads as they are.",
    default: 'http://127.0.0.1:8233,http://localhost:8233',
  }),
  NOTIFY_WEBHOOK_URL: setting(matching(HTTP_URL, 'an http(s) URL'), { description: 'Where notifications are delivered besides the inbox. Without it no outbox message is kept (the inbox gets every one).' }),
  // Verbatim (not trimmed): the receiver checks signatures with the same bytes.
  NOTIFY_WEBHOOK_SECRET: setting({ schema: z.string() }, {
    description: 'HMAC secret shared with the receiver. Required with `NOTIFY_WEBHOOK_URL`.',
    refused: 'Shorter than 16 characters',
  }),
  NOTIFY_POLL_SECONDS: setting(decimal(0.1, 3600, 'a number of seconds 0.1–3600'), { description: 'How often the dispatcher looks for due messages.', default: 2 }),
};

/** Read by `npm start` only (launcher.ts), for the servers it starts when DATABASE_URL or TEMPORAL_ADDRESS is not set. */
export const LAUNCHER_SETTING_SHAPE = {
  EMBEDDED_PG_PORT: setting(port(), { description: 'Port of the embedded PostgreSQL, started when `DATABASE_URL` is not set.', default: 54329 }),
  TEMPORAL_PORT: setting(port(), { description: 'Port of the Temporal dev server, started when `TEMPORAL_ADDRESS` is not set.', default: 7233 }),
  TEMPORAL_UI_PORT: setting(port(), { description: "Port of that dev server's Web UI.", default: 8233 }),
};

const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * The settings together. The rules between settings run also when a setting is invalid (`when`), so every problem is
 * named at once; they compare with `=== false` and presence only, which an invalid value (left as text) never fakes.
 */
export const SETTINGS = z.object(SETTING_SHAPE).superRefine(
  (s, ctx) => {
    if (s.RUN_API === false && s.RUN_WORKER === false) ctx.addIssue({ code: 'custom', path: [], message: 'RUN_API and RUN_WORKER are both false: the process would do nothing' });
    if (s.AUTH_JWKS_URL !== undefined && !s.AUTH_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_ISSUER'], message: 'is required with AUTH_JWKS_URL (the `iss` the identity provider puts in its tokens)' });
    }
    if (s.AUTH_OIDC_ISSUER !== undefined && s.AUTH_JWKS_URL !== undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'AUTH_OIDC_ISSUER and AUTH_JWKS_URL are both set: with AUTH_OIDC_ISSUER the keys come from its discovery document, so leave AUTH_JWKS_URL and AUTH_ISSUER unset' });
    }
    if (s.AUTH_OIDC_ISSUER !== undefined && !s.AUTH_OIDC_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['AUTH_OIDC_CLIENT_ID'], message: "is required with AUTH_OIDC_ISSUER (the web app's client id at the provider)" });
    }
    if ((s.TEMPORAL_TLS_CERT_FILE === undefined) !== (s.TEMPORAL_TLS_KEY_FILE === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together (the client certificate and its key, for mTLS)' });
    }
    if (s.NOTIFY_WEBHOOK_URL !== undefined && (s.NOTIFY_WEBHOOK_SECRET ?? '').length < MIN_WEBHOOK_SECRET_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        path: ['NOTIFY_WEBHOOK_SECRET'],
        message: `is required with NOTIFY_WEBHOOK_URL: at least ${MIN_WEBHOOK_SECRET_LENGTH} characters, shared with the receiver to check signatures`,
      });
    }
  },
  { when: () => true },
);

export type Settings = z.output<typeof SETTINGS>;

/** A setting left empty or blank is not set: its default applies. */
export function settingValues(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (env[name]?.trim() ? [[name, env[name]]] : [])));
}

/** One line per problem, each naming its setting. */
export function settingProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')} ${issue.message}` : issue.message));
}

export function settingDoc(schema: z.ZodType): SettingDoc {
  return schema.meta() as unknown as SettingDoc;
}
