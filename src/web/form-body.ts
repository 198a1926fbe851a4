/**
 * The one rule for form bodies on every HTML route: each field at most once, as text of a bounded length, without
 * control characters (C0, DEL and C1; tab and line breaks aside). Anything else is a 400 that names the field,
 * before a route sees it, so no route has to guard against arrays, objects or megabytes of text.
 */

/** Longer than any field a form of ours asks for (the longest, a comment, allows 5,000 characters). */
export const MAX_FORM_FIELD_LENGTH = 10_000;
const MAX_FIELD_NAME_LENGTH = 100;
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export class FormBodyError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'FormBodyError';
  }
}

const quoted = (name: string) => `“${name.length > 40 ? `${name.slice(0, 40)}…` : name}”`;

function checkField(name: string, value: unknown): string {
  if (name.length > MAX_FIELD_NAME_LENGTH || CONTROL_CHARACTER.test(name)) {
    throw new FormBodyError('the form has a field this site does not know');
  }
  if (typeof value !== 'string') throw new FormBodyError(`the field ${quoted(name)} must be text`);
  if (value.length > MAX_FORM_FIELD_LENGTH) {
    throw new FormBodyError(
      `the field ${quoted(name)} is too long: at most ${MAX_FORM_FIELD_LENGTH} characters`,
    );
  }
  if (CONTROL_CHARACTER.test(value)) {
    throw new FormBodyError(`the field ${quoted(name)} contains a control character`);
  }
  return value;
}

/** Parses `application/x-www-form-urlencoded` text by the rule above. */
export function parseFormBody(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, name)) throw new FormBodyError(`the field ${quoted(name)} was sent twice`);
    fields[name] = checkField(name, value);
  }
  return fields;
}

/** Checks a body that came in another encoding (JSON) by the same rule. */
export function checkFormObject(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body))
    throw new FormBodyError('the form must be a set of fields');
  for (const [name, value] of Object.entries(body)) checkField(name, value);
}
