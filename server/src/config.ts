// Configuration from the environment, validated once at start.
import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  ARBITRA_HOST: z.string().default('127.0.0.1'),
  ARBITRA_PORT: z.coerce.number().int().min(0).max(65535).default(5170),
  ARBITRA_DATA_DIR: z.string().default('./.data'),
  DATABASE_URL: z.string().optional(),
  ARBITRA_BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
  ARBITRA_DEMO: z.enum(['0', '1']).default('1'),
  ARBITRA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  ARBITRA_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(2 * 1024 ** 3),
  ARBITRA_BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  ARBITRA_S3_ENDPOINT: z.string().optional(),
  ARBITRA_S3_REGION: z.string().default('us-east-1'),
  ARBITRA_S3_BUCKET: z.string().optional(),
  ARBITRA_S3_PREFIX: z.string().default(''),
  ARBITRA_S3_ACCESS_KEY_ID: z.string().optional(),
  ARBITRA_S3_SECRET_ACCESS_KEY: z.string().optional(),
  // Set to 1 when browsers reach the server over HTTPS (directly or through a TLS-terminating proxy):
  // the session cookie gets `Secure` and every response sends Strict-Transport-Security.
  ARBITRA_TLS: z.enum(['0', '1']).default('0'),
  ARBITRA_HSTS_MAX_AGE: z.coerce.number().int().min(0).max(63_072_000).default(31_536_000),
  // Origins besides the server's own that may send state-changing requests (a portal served from
  // another origin), comma-separated, e.g. `https://portal.example.com`.
  ARBITRA_ALLOWED_ORIGINS: z.string().default(''),
  // Where people reach the server, for links in e-mails (invitations); by default http://<host>:<port>.
  ARBITRA_PUBLIC_URL: z.url().optional(),
  // Outgoing mail: an SMTP URL (smtp://user:pass@host:587, smtps://…); unset, mail goes to <data dir>/outbox.
  ARBITRA_SMTP_URL: z.string().optional(),
  ARBITRA_MAIL_FROM: z.string().default('Arbitra <no-reply@arbitra.invalid>'),
  ARBITRA_INVITATION_TTL_HOURS: z.coerce.number().min(1).max(24 * 30).default(72),
  // A browser session unused this long is over (sign in again); device and CLI sessions are not idle-timed.
  ARBITRA_SESSION_IDLE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(30),
});

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  bodyLimit: number;
  demo: boolean;
  logLevel: string;
  maxUploadBytes: number;
  /** Browsers reach the server over HTTPS: `Secure` cookies and HSTS (ARBITRA_TLS=1). */
  tls: boolean;
  /** Strict-Transport-Security max-age in seconds, sent only when `tls`. */
  hstsMaxAge: number;
  /** Origins besides the server's own allowed to send state-changing requests (see http/csrf.ts). */
  allowedOrigins: string[];
  /** The server's address as people reach it, for links in e-mails (see publicBaseUrl). */
  publicUrl: string | undefined;
  /** Outgoing mail over SMTP; undefined: written to the outbox under the data directory. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How long a member's invitation link works. */
  invitationTtlMs: number;
  /** How long a browser session may go unused before it ends. */
  sessionIdleMs: number;
  blobStore:
    | { kind: 'fs' }
    | { kind: 's3'; endpoint?: string; region: string; bucket: string; prefix: string; accessKeyId: string; secretAccessKey: string };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    host: e.ARBITRA_HOST,
    port: e.ARBITRA_PORT,
    dataDir: path.resolve(e.ARBITRA_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    bodyLimit: e.ARBITRA_BODY_LIMIT,
    demo: e.ARBITRA_DEMO === '1',
    logLevel: e.ARBITRA_LOG_LEVEL,
    maxUploadBytes: e.ARBITRA_MAX_UPLOAD_BYTES,
    tls: e.ARBITRA_TLS === '1',
    hstsMaxAge: e.ARBITRA_HSTS_MAX_AGE,
    allowedOrigins: e.ARBITRA_ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean),
    publicUrl: e.ARBITRA_PUBLIC_URL?.replace(/\/+$/, ''),
    smtpUrl: e.ARBITRA_SMTP_URL || undefined,
    mailFrom: e.ARBITRA_MAIL_FROM,
    invitationTtlMs: e.ARBITRA_INVITATION_TTL_HOURS * 60 * 60 * 1000,
    sessionIdleMs: e.ARBITRA_SESSION_IDLE_MINUTES * 60 * 1000,
    blobStore: blobStoreConfig(e),
  };
}

/** The base of links people follow (invitations): the configured public URL, or the address the server listens on. */
export function publicBaseUrl(config: Pick<ServerConfig, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl;
  // A wildcard address is where the server listens, not where anyone can reach it.
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}

function blobStoreConfig(e: z.infer<typeof schema>): ServerConfig['blobStore'] {
  if (e.ARBITRA_BLOB_STORE === 'fs') return { kind: 'fs' };
  const missing = (['ARBITRA_S3_BUCKET', 'ARBITRA_S3_ACCESS_KEY_ID', 'ARBITRA_S3_SECRET_ACCESS_KEY'] as const).filter((k) => !e[k]);
  if (missing.length) throw new Error(`Invalid configuration: ARBITRA_BLOB_STORE=s3 needs ${missing.join(', ')}`);
  return {
    kind: 's3',
    endpoint: e.ARBITRA_S3_ENDPOINT,
    region: e.ARBITRA_S3_REGION,
    bucket: e.ARBITRA_S3_BUCKET!,
    prefix: e.ARBITRA_S3_PREFIX,
    accessKeyId: e.ARBITRA_S3_ACCESS_KEY_ID!,
    secretAccessKey: e.ARBITRA_S3_SECRET_ACCESS_KEY!,
  };
}
