// An SMTP sink for bench:digest, in its own process: smtp-server on loopback that accepts everything, counts
// messages and bytes, checks that every message has the one-click unsubscribe headers, and parses one in
// 1,000 with mailparser to check it is a whole digest. Prints "listening PORT" on start; on SIGTERM prints a
// JSON report on stdout and exits.
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const report = {
  messages: 0,
  bytes: 0,
  recipients: new Set<string>(),
  duplicates: 0,
  missingHeaders: 0,
  parsed: 0,
  badParsed: 0,
  firstAt: 0,
  lastAt: 0,
};

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const message = Buffer.concat(chunks);
      const now = Date.now();
      report.firstAt ||= now;
      report.lastAt = now;
      report.messages++;
      report.bytes += message.length;
      for (const rcpt of session.envelope.rcptTo) {
        if (report.recipients.has(rcpt.address)) report.duplicates++;
        else report.recipients.add(rcpt.address);
      }
      const head = message.subarray(0, Math.min(message.length, 4096)).toString('latin1');
      if (
        !/(^|\r\n)List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n/.test(head) ||
        !/(^|\r\n)List-Unsubscribe:/.test(head)
      )
        report.missingHeaders++;
      if (report.messages % 1000 === 1) {
        simpleParser(message)
          .then((mail) => {
            report.parsed++;
            const ok =
              mail.html && mail.text?.includes('/papers/') && mail.text.includes('Unsubscribe: http');
            if (!ok) report.badParsed++;
          })
          .catch(() => report.badParsed++);
      }
      callback();
    });
  },
});
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  const { recipients, ...rest } = report;
  process.stdout.write(`${JSON.stringify({ ...rest, distinctRecipients: recipients.size })}\n`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
