/** Reading a parsed form body (see form-body.ts for what reaches a route). */

export type Form = Record<string, string | string[] | undefined>;

/** A form field's value; a field sent twice counts as empty (and is refused as such). */
export function text(form: Form | undefined, name: string): string {
  const value = form?.[name];
  return typeof value === 'string' ? value : '';
}

/** The text fields of a form, to fill it in again. */
export function formValues(form: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
