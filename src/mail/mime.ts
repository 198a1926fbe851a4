/**
 * Building a text + HTML message (multipart/alternative, quoted-printable) from pieces, with nodemailer's own
 * encoders. A digest is mostly the same for every subscriber (the papers), so its pieces are encoded once per
 * run and joined per subscriber with only the personal parts (links, headers) encoded each time: quoted-printable
 * pieces that each end at a line break can be joined as they are.
 */
import { randomBytes } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode, wrap } from 'nodemailer/lib/qp';

/** Quoted-printable for a piece of a body; its lines end in CRLF, and so must the piece (one is added). */
export function qpPiece(text: string): string {
  const lines = text.endsWith('\n') ? text : `${text}\n`;
  return wrap(encode(lines.replace(/\r?\n/g, '\r\n')), 76);
}

const PRINTABLE = /^[\x20-\x7e]*$/;

/** One header field, RFC 2047-encoded when it is not plain ASCII, folded at 76 characters where it can be. */
export function headerField(name: string, value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ');
  const encoded = PRINTABLE.test(clean) ? clean : encodeWords(clean, 'Q', 52, true);
  return foldLines(`${name}: ${encoded}`, 76, false);
}

/** "Name <address>" with the name quoted or encoded as needed; and the bare address for the envelope. */
export function parseMailbox(value: string): { header: string; address: string } {
  const [first] = addressparser(value, { flatten: true });
  const address = first && 'address' in first ? first.address : value.trim();
  const name = first && 'name' in first ? first.name : '';
  if (!name) return { header: address, address };
  const shown = PRINTABLE.test(name)
    ? /[()<>[\]:;@\\,."]/.test(name)
      ? `"${name.replace(/["\\]/g, '\\$&')}"`
      : name
    : encodeWords(name, 'Q', 52, true);
  return { header: `${shown} <${address}>`, address };
}

/** RFC 5322 date: "Wed, 25 Nov 2026 14:28:47 +0000". */
export function mailDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

// Boundaries only need to be unique and absent from the parts (which are quoted-printable: no "--_dp_" line).
const BOUNDARY_PREFIX = randomBytes(8).toString('hex');
let boundaries = 0;

/** A whole message: headers, then the text and HTML parts, each already quoted-printable. */
export function multipartAlternative(headers: string[], textQp: string, htmlQp: string): string {
  const boundary = `--_dp_${BOUNDARY_PREFIX}${(boundaries++).toString(36)}`;
  return [
    ...headers,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    `${textQp}--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    `${htmlQp}--${boundary}--`,
    '',
  ].join('\r\n');
}
