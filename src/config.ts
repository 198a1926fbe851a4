import { z } from 'zod';

/** Where the data lives, parsed from DATABASE_URL. */
export type DatabaseLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseDatabaseUrl(value: string | undefined): DatabaseLocation {
  const raw = value?.trim();
  if (!raw) return { kind: 'sqlite', path: './data/dailypapers.db' };
  if (/^postgres(ql)?:\/\//i.test(raw)) return { kind: 'postgres', url: raw };
  if (/^sqlite:/i.test(raw)) {
    const path = raw.replace(/^sqlite:(\/\/)?/i, '');
    if (!path)
      throw new ConfigError('DATABASE_URL: "sqlite:" needs a file path, e.g. sqlite:./data/dailypapers.db');
    return { kind: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError(
      `DATABASE_URL: unsupported scheme in ${JSON.stringify(raw)}; use a file path, sqlite:PATH or postgres://…`,
    );
  }
  return { kind: 'sqlite', path: raw };
}

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  BASE_URL: z.url({ message: 'must be an absolute URL such as https://papers.example.org' }).optional(),
  SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SMTP_URL: z.string().optional(),
  LOAD_SAMPLE: z.enum(['auto', 'never'], { message: 'must be "auto" or "never"' }).default('auto'),
  ARXIV_API_URL: z.url({ message: 'must be an absolute URL' }).default('https://export.arxiv.org'),
  SUBMISSIONS_PER_DAY: z.coerce.number().int('must be a whole number').min(0).max(1000).default(3),
  SUBMISSION_MAX_AGE_DAYS: z.coerce.number().int('must be a whole number').min(1).max(3650).default(14),
});

export interface Config {
  port: number;
  host: string;
  database: DatabaseLocation;
  baseUrl: string;
  secret: string | null;
  smtpUrl: string | null;
  loadSample: 'auto' | 'never';
  arxivApiUrl: string;
  submissions: { perMemberPerDay: number; maxAgeDays: number };
}

/** Reads and validates configuration from the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: parseDatabaseUrl(e.DATABASE_URL),
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    secret: e.SECRET ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    loadSample: e.LOAD_SAMPLE,
    arxivApiUrl: e.ARXIV_API_URL,
    submissions: { perMemberPerDay: e.SUBMISSIONS_PER_DAY, maxAgeDays: e.SUBMISSION_MAX_AGE_DAYS },
  };
}
