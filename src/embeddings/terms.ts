import { stemmer } from 'stemmer';

const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both
  but by can could did do does doing down during each few for from further had has have having he her here hers
  him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
  out over own same she should so some such than that the their them then there these they this those through to
  too under until up very was we were what when where which while who whom why will with would you your also
  however thus therefore via may might must shall us one two using used use based new paper propose proposed
  approach method methods work results show shows demonstrate present introduce across within without well often
  many much even yet still among upon per`.split(/\s+/),
);

/** Content words of a text for the embedding model: lower-cased ASCII letters and digits, no stop words or numbers. */
export function contentTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of text
    .toLowerCase()
    .normalize('NFKD')
    .matchAll(/[a-z0-9]+/g)) {
    const term = match[0];
    if (term.length < 2 || STOP_WORDS.has(term) || /^\d+$/.test(term)) continue;
    terms.push(term);
  }
  return terms;
}

const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 500_000;

/** Content words reduced to their Porter stems ("networks", "networking" → "network"), for newer models. */
export function stemmedTerms(text: string): string[] {
  return contentTerms(text).map((term) => {
    let stem = stems.get(term);
    if (stem === undefined) {
      stem = stemmer(term);
      if (stems.size >= MAX_CACHED_STEMS) stems.clear();
      stems.set(term, stem);
    }
    return stem;
  });
}
