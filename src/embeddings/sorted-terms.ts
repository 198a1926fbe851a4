/**
 * A model's vocabulary, term → row, held as one buffer of the terms in sorted order and searched by halving. A Map
 * of strings costs some 70 bytes a term in the JavaScript heap; this costs the term's letters and 8 bytes. A
 * clustered model of a large site has hundreds of thousands of terms (docs/benchmarks.md, "Memory").
 * Terms are ASCII (`contentTerms` keeps [a-z0-9] only), compared by character code.
 */
export class SortedTerms {
  readonly size: number;
  /** The terms, sorted, one after another. */
  private readonly letters: Buffer;
  /** Where each sorted term starts in `letters`; one more for the end of the last. */
  private readonly starts: Uint32Array;
  /** The row of each sorted term (its index in the list the terms came in). */
  private readonly rows: Uint32Array;

  constructor(terms: readonly string[]) {
    this.size = terms.length;
    const order = Uint32Array.from(terms.keys()).sort((a, b) => {
      const [first, second] = [terms[a] as string, terms[b] as string];
      return first < second ? -1 : first > second ? 1 : 0;
    });
    this.starts = new Uint32Array(terms.length + 1);
    let length = 0;
    order.forEach((row, position) => {
      const term = terms[row] as string;
      if (!/^[\x20-\x7e]*$/.test(term))
        throw new Error(`a model term that is not ASCII: ${JSON.stringify(term)}`);
      length += term.length;
      this.starts[position + 1] = length;
    });
    this.letters = Buffer.alloc(length);
    order.forEach((row, position) => {
      this.letters.write(terms[row] as string, this.starts[position] as number, 'latin1');
    });
    this.rows = order;
  }

  /** The row of `term`, or undefined when the vocabulary lacks it. */
  rowOf(term: string): number | undefined {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = this.compare(middle, term);
      if (order === 0) return this.rows[middle];
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** The terms by row, as the model was given them. */
  list(): string[] {
    const terms = new Array<string>(this.size);
    for (let position = 0; position < this.size; position++)
      terms[this.rows[position] as number] = this.letters.toString(
        'latin1',
        this.starts[position],
        this.starts[position + 1],
      );
    return terms;
  }

  /** The sorted term at `position` against `term`: negative when it comes first. */
  private compare(position: number, term: string): number {
    const start = this.starts[position] as number;
    const length = (this.starts[position + 1] as number) - start;
    const common = Math.min(length, term.length);
    for (let i = 0; i < common; i++) {
      const difference = (this.letters[start + i] as number) - term.charCodeAt(i);
      if (difference !== 0) return difference;
    }
    return length - term.length;
  }
}
