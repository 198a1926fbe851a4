import { escapeHtml } from './escape.ts';

const SAFE = Symbol('SafeHtml');

/** HTML that is safe to emit as is; only `html` and `raw` make one. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | ReadonlyArray<Interpolation>;

/** Marks trusted markup as safe; never pass it user input. */
export function raw(value: string): SafeHtml {
  return { [SAFE]: true, value };
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value) out += render(item);
    return out;
  }
  if (typeof value === 'object' && SAFE in value) return (value as SafeHtml).value;
  return escapeHtml(String(value));
}

/** A template whose interpolations are escaped unless they are SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index++)
    out += render(values[index]) + (strings[index + 1] ?? '');
  return raw(out);
}
