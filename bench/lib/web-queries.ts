// Search queries for bench:web: the AI keywords Hugging Face gives papers ("diffusion models", "reinforcement
// learning", …), the phrases readers type. The most frequent of each length, so 2-word queries over common words
// (the costly ones) are well represented.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { HF_FILE } from './full-data.ts';

/** How many queries of each word count. */
const PER_LENGTH: Record<number, number> = { 1: 60, 2: 100, 3: 60, 4: 30 };

export async function loadWebQueries(): Promise<{ text: string; words: number }[]> {
  const counts = new Map<string, number>();
  for await (const line of createInterface({ input: createReadStream(HF_FILE).pipe(createGunzip()) })) {
    let day: { response?: unknown[] };
    try {
      day = JSON.parse(line);
    } catch {
      continue;
    }
    for (const entry of day.response ?? []) {
      const keywords = (entry as { paper?: { ai_keywords?: unknown } }).paper?.ai_keywords;
      if (!Array.isArray(keywords)) continue;
      for (const keyword of keywords) {
        if (typeof keyword !== 'string') continue;
        const text = keyword
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
          .replace(/\s+/g, ' ')
          .trim();
        if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
      }
    }
  }
  const byFrequency = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return Object.entries(PER_LENGTH).flatMap(([length, wanted]) =>
    byFrequency
      .filter(([text]) => text.split(' ').length === Number(length))
      .slice(0, wanted)
      .map(([text]) => ({ text, words: Number(length) })),
  );
}
