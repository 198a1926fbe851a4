import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { isValidTimeZone } from './domain/digest-period.ts';
import { DEFAULT_SCORE_FUSION, type ScoreFusion } from './domain/score-fusion.ts';
import {
  type CacheSizes,
  cacheSizes,
  DEFAULT_MEMORY_BUDGET_MB,
  MIN_MEMORY_BUDGET_MB,
} from './memory-budget.ts';

/** Where the data lives, parsed from DATABASE_URL. */
export type DatabaseLocation =
  | { kind: 'sqlite'; path: string /** SQLite page cache per connection, MiB. */; cacheMb?: number }
  | {
      kind: 'postgres';
      url: string;
      /** false (PGVECTOR=off): keep vectors searched in each process even when the server has pgvector. */
      pgvector?: boolean;
      /** DATABASE_REPLICA_URL: a streaming replica that answers the web's reads (see store/read-routing.ts). */
      replicaUrl?: string;
    };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseDatabaseUrl(value: string | undefined): DatabaseLocation {
  const raw = value?.trim();
  if (!raw) return { kind: 'sqlite', path: './data/dailypapers.db' };
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    if (!URL.canParse(raw))
      throw new ConfigError(
        'DATABASE_URL: not a valid PostgreSQL URL; use postgres://USER:PASSWORD@HOST:PORT/DATABASE',
      );
    return { kind: 'postgres', url: raw };
  }
  if (/^sqlite:/i.test(raw)) {
    const path = raw.replace(/^sqlite:(\/\/)?/i, '');
    if (!path)
      throw new ConfigError('DATABASE_URL: "sqlite:" needs a file path, e.g. sqlite:./data/dailypapers.db');
    return { kind: 'sqlite', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError(
      `DATABASE_URL: unsupported scheme "${raw.split(':')[0]}"; use a file path, sqlite:PATH or postgres://…`,
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
  DATABASE_REPLICA_URL: z
    .string()
    .trim()
    .refine((value) => value === '' || (/^postgres(ql)?:\/\//i.test(value) && URL.canParse(value)), {
      message: 'must be a PostgreSQL URL such as postgres://USER:PASSWORD@HOST:PORT/DATABASE',
    })
    .optional(),
  BASE_URL: z.url({ message: 'must be an absolute URL such as https://papers.example.org' }).optional(),
  SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  SMTP_URL: z
    .string()
    .regex(
      /^(smtps?:\/\/\S+)?$/i,
      'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587',
    )
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  MAIL_OUTBOX: z.string().min(1).optional(),
  DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM, e.g. 08:00')
    .default('08:00'),
  DIGEST_TIME_ZONE: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as America/New_York or Europe/Paris')
    .default('America/New_York'),
  DIGEST_SCHEDULER: z.enum(['on', 'off'], { message: 'must be "on" or "off"' }).default('on'),
  LOAD_SAMPLE: z.enum(['auto', 'never'], { message: 'must be "auto" or "never"' }).default('auto'),
  TRUST_PROXY: z.string().default('off').transform(parseTrustProxy),
  FETCH_IMAGES: z.enum(['on', 'off'], { message: 'must be "on" or "off"' }).default('on'),
  WEB_HEAP: z.enum(['fast', 'small'], { message: 'must be "fast" or "small"' }).default('fast'),
  IMAGES_DIR: z.string().min(1).optional(),
  // No default here: the store's own (store/sqlite/page-cache.ts) applies when it is not set.
  PGVECTOR: z.enum(['auto', 'off'], { message: 'must be "auto" or "off"' }).default('auto'),
  SQLITE_CACHE_MB: z.coerce.number().int('must be a whole number').min(2).max(65_536).optional(),
  MEMORY_BUDGET_MB: z.coerce
    .number({ message: 'must be a number of MiB' })
    .int('must be a whole number')
    .min(MIN_MEMORY_BUDGET_MB, `must be at least ${MIN_MEMORY_BUDGET_MB}`)
    .max(1_048_576, 'must be at most 1048576')
    .default(DEFAULT_MEMORY_BUDGET_MB),
  SEARCH_MEANING_WEIGHT: z.coerce
    .number({ message: 'must be a number' })
    .min(0, 'must be between 0 and 4')
    .max(4, 'must be between 0 and 4')
    .default(DEFAULT_SCORE_FUSION.meaningWeight),
  ARXIV_API_URL: z.url({ message: 'must be an absolute URL' }).default('https://export.arxiv.org'),
  SUBMISSIONS_PER_DAY: z.coerce.number().int('must be a whole number').min(0).max(1000).default(3),
  SUBMISSION_MAX_AGE_DAYS: z.coerce.number().int('must be a whole number').min(1).max(3650).default(14),
  // The sitemap protocol allows 50,000 URLs a file.
  SITEMAP_PAGE_SIZE: z.coerce.number().int('must be a whole number').min(1).max(50_000).default(50_000),
});

/**
 * How many proxies, or which proxy addresses, to believe in X-Forwarded-For (Fastify's `trustProxy`): the client
 * address is the first one from the right that is not a trusted proxy, so a client cannot choose its own.
 */
export type TrustProxy = false | number | string[];

/** An IP address, a CIDR range, or one of proxy-addr's names for the usual private ranges. */
function isProxyAddress(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address = '', prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

function parseTrustProxy(raw: string, context: z.RefinementCtx): TrustProxy {
  const value = raw.trim().toLowerCase();
  if (value === 'off' || value === 'false' || value === '0' || value === '') return false;
  if (value === 'on' || value === 'true') {
    context.addIssue({
      code: 'custom',
      message:
        'is no longer accepted, as it let clients choose their own address: give the number of proxies in front of the site (1 for one nginx) or their addresses (e.g. 10.0.0.1,10.0.0.0/8)',
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops <= 10) return hops;
  }
  const addresses = value.split(',').map((part) => part.trim());
  if (addresses.every(isProxyAddress)) return addresses;
  context.addIssue({
    code: 'custom',
    message:
      'must be off, a number of proxies (1 to 10), or a comma-separated list of proxy addresses or CIDRs',
  });
  return z.NEVER;
}

/** "Dailypapers <digest@papers.example.org>" from BASE_URL (an IP address or bare host name gives localhost). */
function defaultMailFrom(baseUrl: string): string {
  const host = new URL(baseUrl).hostname;
  const domain = host.includes('.') && !/^[\d.]+$/.test(host) && !host.startsWith('[') ? host : 'localhost';
  return `Dailypapers <digest@${domain}>`;
}

export interface MailConfig {
  /** null: mail is written to `outboxDir` as .eml files instead of being sent. */
  smtpUrl: string | null;
  from: string;
  outboxDir: string;
}

export interface DigestConfig {
  /** Local time of day digests go out, HH:MM. */
  time: string;
  timeZone: string;
  /** Whether `dailypapers serve` sends digests itself (off when cron runs `dailypapers digest send`). */
  scheduler: boolean;
}

export interface Config {
  port: number;
  host: string;
  database: DatabaseLocation;
  baseUrl: string;
  secret: string | null;
  smtpUrl: string | null;
  loadSample: 'auto' | 'never';
  /** Which proxies' X-Forwarded-For/-Proto to believe (false: none, clients reach the site directly). */
  trustProxy: TrustProxy;
  arxivApiUrl: string;
  submissions: { perMemberPerDay: number; maxAgeDays: number };
  /** Paper URLs per sitemap file. */
  sitemapPageSize: number;
  mail: MailConfig;
  digest: DigestConfig;
  /** Copies of remote images (avatars, thumbnails) kept in `dir`, downloaded in the background when `fetch`. */
  images: { dir: string; fetch: boolean };
  /** Where a web process keeps its embedding model's term tables, in a file deleted once open (see term-table-file.ts). */
  termTablesDir: string;
  /** How search weighs meaning beside words (SEARCH_MEANING_WEIGHT; see domain/score-fusion.ts). */
  search: { fusion: ScoreFusion };
  /** WEB_HEAP: `small` keeps a web process's JavaScript heap near what is live, for more CPU per request. */
  webHeap: 'fast' | 'small';
  /** The caches' sizes, shared out of MEMORY_BUDGET_MB (see memory-budget.ts). */
  caches: CacheSizes;
}

/** Variables that can hold a secret: their values are never printed, URLs only with the password masked. */
const isSecretName = (name: string) =>
  /^(SMTP_URL|DATABASE_URL|DATABASE_REPLICA_URL|SECRET)$|_KEY$|_SECRET$|PASSWORD/i.test(name) ||
  name.endsWith('_TOKEN');

/** `=value` for an error message, or nothing when the value could reveal a secret. */
function shownValue(name: string, value: string): string {
  if (!isSecretName(name)) return `=${JSON.stringify(value)}`;
  if (!/^(smtps?|postgres(ql)?):\/\//i.test(value) || !URL.canParse(value)) return '';
  const url = new URL(value);
  const user = url.username ? `${url.username}:***@` : '';
  return `=${JSON.stringify(`${url.protocol}//${user}${url.host}${url.pathname}${url.search ? '?…' : ''}`)}`;
}

/** Reads and validates configuration from the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name}${shownValue(name, env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const database = parseDatabaseUrl(e.DATABASE_URL);
  const caches = cacheSizes(e.MEMORY_BUDGET_MB);
  if (database.kind === 'sqlite') database.cacheMb = e.SQLITE_CACHE_MB ?? caches.sqliteMb;
  if (database.kind === 'postgres' && e.PGVECTOR === 'off') database.pgvector = false;
  if (e.DATABASE_REPLICA_URL) {
    if (database.kind !== 'postgres')
      throw new ConfigError('DATABASE_REPLICA_URL: a read replica needs DATABASE_URL to be a PostgreSQL URL');
    database.replicaUrl = e.DATABASE_REPLICA_URL;
  }
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const dataDir =
    database.kind === 'sqlite' && database.path !== ':memory:' ? dirname(database.path) : './data';
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    baseUrl,
    secret: e.SECRET ?? null,
    smtpUrl: e.SMTP_URL || null,
    loadSample: e.LOAD_SAMPLE,
    trustProxy: e.TRUST_PROXY,
    arxivApiUrl: e.ARXIV_API_URL,
    submissions: { perMemberPerDay: e.SUBMISSIONS_PER_DAY, maxAgeDays: e.SUBMISSION_MAX_AGE_DAYS },
    sitemapPageSize: e.SITEMAP_PAGE_SIZE,
    mail: {
      smtpUrl: e.SMTP_URL || null,
      from: e.MAIL_FROM ?? defaultMailFrom(baseUrl),
      outboxDir: e.MAIL_OUTBOX ?? join(dataDir, 'outbox'),
    },
    digest: { time: e.DIGEST_TIME, timeZone: e.DIGEST_TIME_ZONE, scheduler: e.DIGEST_SCHEDULER === 'on' },
    images: { dir: e.IMAGES_DIR ?? join(dataDir, 'images'), fetch: e.FETCH_IMAGES === 'on' },
    termTablesDir: dataDir,
    search: { fusion: { meaningWeight: e.SEARCH_MEANING_WEIGHT } },
    webHeap: e.WEB_HEAP,
    caches,
  };
}
