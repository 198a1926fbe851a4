import { stripControlCharacters } from '../domain/control-characters.ts';
import { FormError } from './accounts.ts';

/**
 * Text a member typed for the personal layer (a tag, a name, a title): trimmed; refused with a FormError naming
 * `field` when it holds control characters or is longer than `max`.
 */
export function cleanText(
  field: string,
  value: unknown,
  max: number,
  options: { required?: boolean } = {},
): string {
  if (value !== undefined && value !== null && typeof value !== 'string')
    throw new FormError({ [field]: 'send text' });
  const text = (value ?? '').trim();
  if (stripControlCharacters(text) !== text || /[\r\n\t]/.test(text))
    throw new FormError({ [field]: 'no control characters or line breaks' });
  if (text.length > max) throw new FormError({ [field]: `at most ${max} characters` });
  if (options.required && !text) throw new FormError({ [field]: 'this cannot be empty' });
  return text;
}
