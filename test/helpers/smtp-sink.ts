// A real SMTP server on loopback (smtp-server, in-process) that keeps what it accepts, parsed by mailparser.
// Tests steer it: refuse everything for a while with a 4xx, reject chosen addresses with a 5xx, watch messages.

import { setTimeout as delay } from 'node:timers/promises';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Answer every RCPT with this temporary error until `until` (ms since epoch) or for the next `count` tries. */
  refuseFor(options: { until?: number; count?: number; code?: number }): void;
  /** Addresses rejected for good at RCPT (550). */
  rejected: Set<string>;
  /**
   * Decides, before a message is kept, whether the server accepts it (250) or answers 451 (false). A promise
   * that stays pending holds the client waiting for the reply, as a server that hangs would.
   */
  beforeAccept?: (mail: ReceivedMail) => boolean | Promise<boolean>;
  /** How many RCPT commands were refused with a temporary error. */
  refusals: number;
  waitFor(predicate: (messages: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<void>;
  /**
   * Resolves once no client is connected and no message is being decided: after a client is killed, the last
   * message it finished sending may still be parsed, and `beforeAccept` must still judge it.
   */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

async function readStream(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSmtpSink(): Promise<SmtpSink> {
  let refuseUntil = 0;
  let refuseCount = 0;
  let refuseCode = 451;
  const waiters = new Set<() => void>();
  let deciding = 0;
  const sink: SmtpSink = {
    url: '',
    port: 0,
    messages: [],
    rejected: new Set(),
    refusals: 0,
    refuseFor(options) {
      refuseUntil = options.until ?? 0;
      refuseCount = options.count ?? 0;
      refuseCode = options.code ?? 451;
    },
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        if (predicate(sink.messages)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for mail (have ${sink.messages.length})`));
        }, timeoutMs);
        function check() {
          if (!predicate(sink.messages)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
        waiters.add(check);
      });
    },
    async idle(timeoutMs = 20_000) {
      const busy = () => server.connections.size > 0 || deciding > 0;
      for (const started = Date.now(); busy(); await delay(10))
        if (Date.now() - started > timeoutMs)
          throw new Error(`still ${server.connections.size} connected, ${deciding} messages being decided`);
    },
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (Date.now() < refuseUntil || refuseCount > 0) {
        if (refuseCount > 0) refuseCount--;
        sink.refusals++;
        return callback(smtpError(refuseCode, 'Try again later'));
      }
      if (sink.rejected.has(address.address.toLowerCase()))
        return callback(smtpError(550, 'No such user here'));
      callback();
    },
    onData(stream, session, callback) {
      deciding++;
      readStream(stream)
        .then(async (buffer) => {
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: buffer.toString('utf8'),
            parsed: await simpleParser(buffer),
          };
          if (sink.beforeAccept && !(await sink.beforeAccept(mail)))
            return callback(smtpError(451, 'Not now'));
          sink.messages.push(mail);
          for (const waiter of [...waiters]) waiter();
          callback();
        })
        .catch((error: Error) => callback(error))
        .finally(() => deciding--);
    },
  });
  // A client killed mid-session resets its connection; the server reports it, and that is expected here.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  sink.port = typeof address === 'object' && address ? address.port : 0;
  sink.url = `smtp://127.0.0.1:${sink.port}?ignoreTLS=true`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** The first link in a mail's text part whose path starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const text = mail.parsed.text ?? '';
  const match = new RegExp(`https?://[^\\s>]+${prefix.replace(/[/]/g, '\\/')}[^\\s>]*`).exec(text);
  if (!match) throw new Error(`no ${prefix} link in:\n${text}`);
  return match[0];
}

/** A header as sent (folded lines joined), or '' when absent. */
export function header(mail: ReceivedMail, name: string): string {
  const head = mail.raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded
    .split(/\r?\n/)
    .find((entry) => entry.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}
