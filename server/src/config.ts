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
});

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  bodyLimit: number;
  demo: boolean;
  logLevel: string;
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
  };
}
