import type { Paper } from '../../domain/paper.ts';
import { dayOf } from './paper-markdown.ts';

/** Braces must balance inside a BibTeX value; text whose braces do not loses them. */
function bibtexValue(text: string): string {
  let depth = 0;
  for (const char of text) {
    depth += char === '{' ? 1 : char === '}' ? -1 : 0;
    if (depth < 0) break;
  }
  const balanced = depth === 0 ? text : text.replace(/[{}]/g, '');
  return balanced
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(?<!\\)([%&#])/g, '\\$1');
}

/** "Ada Lovelace" → "Lovelace, Ada"; a name that already has a comma stays as it is. */
function bibtexName(name: string): string {
  const parts = name.trim().split(/\s+/);
  if (name.includes(',') || parts.length < 2) return name.trim();
  const last = parts.pop() as string;
  return `${last}, ${parts.join(' ')}`;
}

function keyPart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

/** A BibTeX entry in the form arXiv uses for preprints (`@misc` with eprint and archivePrefix). */
export function renderPaperBibtex(paper: Paper): string {
  const year = dayOf(paper)?.slice(0, 4) ?? null;
  const surname = paper.authors[0]?.name.trim().split(/\s+/).pop() ?? '';
  const firstWord = paper.title.split(/\s+/).find((word) => keyPart(word).length > 3) ?? '';
  const key = `${keyPart(surname) || 'arxiv'}${year ?? ''}${keyPart(firstWord)}` || paper.id;
  const fields: Array<[string, string | null]> = [
    ['title', `{${bibtexValue(paper.title)}}`],
    ['author', paper.authors.map((author) => bibtexValue(bibtexName(author.name))).join(' and ') || null],
    ['year', year],
    ['eprint', paper.id],
    ['archivePrefix', 'arXiv'],
    ['primaryClass', paper.categories[0] ?? null],
    ['doi', paper.doi ? bibtexValue(paper.doi) : null],
    ['url', paper.absUrl],
  ];
  const body = fields
    .filter((field): field is [string, string] => field[1] !== null)
    .map(([name, value]) => `  ${name} = {${value}}`)
    .join(',\n');
  return `@misc{${key},\n${body}\n}\n`;
}
