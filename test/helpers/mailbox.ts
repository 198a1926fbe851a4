// Where a test site's mail arrives, read like a person reads it: the outbox folder (no SMTP_URL) or an SMTP sink.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { SmtpSink } from './smtp-sink.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailbox {
  /** Every mail so far, oldest first. */
  all(): Promise<Mail[]>;
}

export function outboxMailbox(dir: string): Mailbox {
  return {
    async all() {
      if (!existsSync(dir)) return [];
      const files = readdirSync(dir)
        .filter((name) => name.endsWith('.eml'))
        .map((name) => join(dir, name));
      const mails = await Promise.all(
        files.map(async (file) => {
          const parsed = await simpleParser(readFileSync(file));
          return {
            to: parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            date: parsed.date?.getTime() ?? 0,
          };
        }),
      );
      return mails.sort((a, b) => a.date - b.date).map(({ date: _, ...mail }) => mail);
    },
  };
}

export function sinkMailbox(sink: SmtpSink): Mailbox {
  return {
    async all() {
      return sink.messages.map((mail) => ({
        to: mail.to.join(', '),
        subject: mail.parsed.subject ?? '',
        text: mail.parsed.text ?? '',
      }));
    },
  };
}

/** Waits for `count` mails to `to` whose subject matches; returns them, oldest first. */
export async function mailsTo(mailbox: Mailbox, to: string, subject: RegExp, count = 1): Promise<Mail[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await mailbox.all()).filter(
      (mail) => mail.to.toLowerCase().includes(to.toLowerCase()) && subject.test(mail.subject),
    );
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject} (have ${found.length})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The path (and query) of the first link in `mail` whose path starts with `prefix`. */
export function linkPath(mail: Mail, prefix: string): string {
  const match = new RegExp(`https?://[^\\s>]+?(${prefix.replace(/[/]/g, '\\/')}[^\\s>]*)`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${prefix} link in:\n${mail.text}`);
  return match[1];
}
