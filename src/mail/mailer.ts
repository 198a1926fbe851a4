/**
 * Sending mail: SMTP through nodemailer's connection pool when SMTP_URL is set, otherwise an outbox folder of
 * .eml files (never silently dropped). Failures are classified so callers know whether to retry, give the
 * address up, or stop.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { MailConfig } from '../config.ts';
import { parseMailbox } from './mime.ts';

/** A mail for nodemailer to compose. */
export interface ComposedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** "<id@host>"; generated when absent. */
  messageId?: string;
  headers?: Record<string, string>;
}

/** A mail already built as an RFC 5322 message (CRLF line ends), sent as it is. */
export interface RawMail {
  to: string;
  raw: string;
  /** The Message-ID inside `raw`. Re-sending the same message must reuse it. */
  messageId: string;
}

export type OutgoingMail = ComposedMail | RawMail;

export type MailMode =
  | { kind: 'smtp'; host: string; port: number; secure: boolean; maxConnections: number }
  | { kind: 'outbox'; path: string };

export interface Mailer {
  readonly mode: MailMode;
  /** How many messages may usefully be in flight at once. */
  readonly concurrency: number;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/**
 * rejected: the server refused this recipient or message for good (5xx at RCPT or DATA): stop mailing it.
 * temporary: 4xx, connection trouble: try again later.
 * fatal: the setup is wrong (authentication, sender refused): stop the whole run and tell the operator.
 */
export type MailFailureKind = 'rejected' | 'temporary' | 'fatal';

export class MailError extends Error {
  constructor(
    message: string,
    readonly kind: MailFailureKind,
    readonly responseCode: number | null,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

const TEMPORARY_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EMAXLIMIT',
]);
const FATAL_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS', 'EPROXY']);

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
}

/** Sorts a nodemailer error into rejected / temporary / fatal. */
export function classifyMailError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const failure = (error instanceof Error ? error : new Error(String(error))) as NodemailerError;
  const code = failure.code ?? '';
  const status = typeof failure.responseCode === 'number' ? failure.responseCode : null;
  const message = failure.message;
  if (status !== null && status >= 400 && status < 500) return new MailError(message, 'temporary', status);
  if (status !== null && status >= 500) {
    const perRecipient =
      (code === 'EENVELOPE' || code === 'EMESSAGE') &&
      (failure.command === 'RCPT TO' || failure.command === 'DATA');
    return new MailError(message, perRecipient ? 'rejected' : 'fatal', status);
  }
  // Nodemailer refuses an address it cannot parse before talking to the server.
  if (code === 'EENVELOPE' && failure.command === 'API') return new MailError(message, 'rejected', null);
  if (FATAL_CODES.has(code)) return new MailError(message, 'fatal', status);
  if (TEMPORARY_CODES.has(code)) return new MailError(message, 'temporary', status);
  return new MailError(message, 'temporary', status);
}

const SAFETY = { disableFileAccess: true, disableUrlAccess: true } as const;

/** What nodemailer gets: a raw message goes with its envelope, everything else is composed by nodemailer. */
function nodemailerMessage(mail: OutgoingMail, from: string) {
  if ('raw' in mail) {
    return {
      ...SAFETY,
      envelope: { from: parseMailbox(from).address, to: [mail.to] },
      raw: mail.raw,
      // Known already: spares nodemailer generating one it would not use.
      messageId: mail.messageId,
    };
  }
  return { ...SAFETY, from, ...mail };
}

function smtpMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  const defaults: Record<string, string> = { pool: 'true', maxConnections: '5', maxMessages: '1000' };
  for (const [key, value] of Object.entries(defaults))
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  const maxConnections = Math.max(1, Number(url.searchParams.get('maxConnections')) || 5);
  const transport = nodemailer.createTransport(url.toString(), { from });
  const secure = url.protocol === 'smtps:';
  return {
    mode: {
      kind: 'smtp',
      host: url.hostname,
      port: Number(url.port) || (secure ? 465 : 587),
      secure,
      maxConnections,
    },
    concurrency: maxConnections * 2,
    async send(mail) {
      try {
        const info = await transport.sendMail(nodemailerMessage(mail, from));
        return { messageId: 'raw' in mail ? mail.messageId : info.messageId };
      } catch (error) {
        throw classifyMailError(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}

function outboxMailer(dir: string, from: string): Mailer {
  const path = resolve(dir);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  let made = false;
  return {
    mode: { kind: 'outbox', path },
    concurrency: 4,
    async send(mail) {
      let info: { messageId: string; message: Buffer };
      try {
        info = (await transport.sendMail(nodemailerMessage(mail, from))) as typeof info;
        if ('raw' in mail) info.messageId = mail.messageId;
      } catch (error) {
        throw classifyMailError(error);
      }
      if (!made) {
        mkdirSync(path, { recursive: true });
        made = true;
      }
      // Named after the Message-ID, so sending the same message again replaces its file instead of adding one.
      const name = info.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9@._-]/g, '_');
      const file = join(path, `${name}.eml`);
      writeFileSync(`${file}.tmp`, info.message);
      renameSync(`${file}.tmp`, file);
      return { messageId: info.messageId };
    },
    async close() {},
  };
}

/** The mailer MAIL settings ask for: SMTP with a connection pool, or the outbox folder. */
export function createMailer(config: MailConfig): Mailer {
  return config.smtpUrl
    ? smtpMailer(config.smtpUrl, config.from)
    : outboxMailer(config.outboxDir, config.from);
}

/** For pages and logs: where mail goes, without credentials. */
export function describeMailMode(mode: MailMode): string {
  return mode.kind === 'smtp'
    ? `SMTP ${mode.secure ? 'over TLS ' : ''}via ${mode.host}:${mode.port} (pool of ${mode.maxConnections})`
    : `not sent: written as .eml files to ${mode.path} (set SMTP_URL to send)`;
}

/** "Ada <ada@example.org>" → "example.org", for Message-IDs. */
export function mailDomain(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'localhost';
}
