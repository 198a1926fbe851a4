// The shared arXiv listings file as papers with a listing day, and the Hugging Face upvotes of those that have
// them: the data of eval:recommend.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { HF_FILE, SHARED_DATA } from './full-data.ts';

export const ARXIV_FILE = join(SHARED_DATA, 'arxiv-listings-2025-2026.jsonl.gz');

export interface ListedPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  /** YYYY-MM-DD */
  listedOn: string;
}

/** Exits with one line naming what is missing. */
export function requireSharedFile(path: string): void {
  if (!existsSync(path)) {
    console.error(
      `missing ${path}: eval:recommend needs the shared data (../shared/data beside the checkout)`,
    );
    process.exit(1);
  }
}

async function* gzipLines(path: string): AsyncGenerator<string> {
  yield* createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
}

export async function loadListings(path = ARXIV_FILE): Promise<ListedPaper[]> {
  const papers: ListedPaper[] = [];
  for await (const line of gzipLines(path)) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as {
      id: string;
      title: string;
      summary: string;
      authors: string[];
      listed_on: string;
    };
    papers.push({
      id: record.id,
      title: record.title.replace(/\s+/g, ' ').trim(),
      abstract: record.summary.replace(/\s+/g, ' ').trim(),
      authors: record.authors,
      listedOn: record.listed_on,
    });
  }
  return papers.sort((a, b) => a.listedOn.localeCompare(b.listedOn) || a.id.localeCompare(b.id));
}

export interface HfPaper extends ListedPaper {
  upvotes: number;
  organization: string | null;
}

/** The papers of the Hugging Face daily papers file, each once (its first day), skipping unreadable entries. */
export async function loadHfPapers(path = HF_FILE): Promise<HfPaper[]> {
  const papers = new Map<string, HfPaper>();
  if (!existsSync(path)) return [];
  for await (const line of gzipLines(path)) {
    let day: { date?: unknown; response?: unknown };
    try {
      day = JSON.parse(line);
    } catch {
      continue;
    }
    if (!Array.isArray(day.response) || typeof day.date !== 'string') continue;
    for (const entry of day.response) {
      const paper = (entry as { paper?: Record<string, unknown> } | null)?.paper;
      if (typeof paper?.id !== 'string' || typeof paper.title !== 'string') continue;
      const before = papers.get(paper.id);
      const upvotes = typeof paper.upvotes === 'number' ? paper.upvotes : 0;
      if (before) {
        before.upvotes = Math.max(before.upvotes, upvotes);
        continue;
      }
      const organization = paper.organization as { fullname?: unknown; name?: unknown } | undefined;
      papers.set(paper.id, {
        id: paper.id,
        title: paper.title.replace(/\s+/g, ' ').trim(),
        abstract: typeof paper.summary === 'string' ? paper.summary.replace(/\s+/g, ' ').trim() : '',
        authors: (Array.isArray(paper.authors) ? paper.authors : []).flatMap((author: { name?: unknown }) =>
          typeof author?.name === 'string' ? [author.name] : [],
        ),
        listedOn: day.date,
        upvotes,
        organization:
          typeof organization?.fullname === 'string'
            ? organization.fullname
            : typeof organization?.name === 'string'
              ? organization.name
              : null,
      });
    }
  }
  return [...papers.values()];
}

/** Upvotes by arXiv id from the Hugging Face daily papers file (absent: an empty map). */
export async function loadUpvotes(path = HF_FILE): Promise<Map<string, number>> {
  return new Map((await loadHfPapers(path)).map((paper) => [paper.id, paper.upvotes]));
}
