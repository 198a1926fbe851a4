/** An LSA model's term table: a row of `dimensions` values for each term of its vocabulary. */
export interface TermTable {
  /** 'float32' (the first models), 'int8' (a quarter of the memory) or 'int4' (an eighth). */
  readonly format: 'float32' | 'int8' | 'int4';
  /** Adds `weight` times the term's row into `vector`. */
  addRow(term: number, weight: number, vector: Float32Array): void;
  /** The stored form, read back by `readTermTable`. */
  bytes(): Buffer[];
}

export class FloatTermTable implements TermTable {
  readonly format = 'float32';

  constructor(
    readonly dimensions: number,
    /** terms × dimensions, row-major. */
    readonly values: Float32Array,
  ) {}

  addRow(term: number, weight: number, vector: Float32Array): void {
    const row = term * this.dimensions;
    for (let d = 0; d < this.dimensions; d++)
      vector[d] = (vector[d] as number) + weight * (this.values[row + d] as number);
  }

  bytes(): Buffer[] {
    return [Buffer.from(this.values.buffer, this.values.byteOffset, this.values.byteLength)];
  }
}

/** Each column's root mean square (1 for a column of zeros): the column scales of the quantized tables. */
function columnSpreads(table: Float32Array, dimensions: number): Float32Array {
  const terms = table.length / dimensions;
  const spreads = new Float32Array(dimensions);
  for (let i = 0; i < table.length; i++)
    spreads[i % dimensions] = (spreads[i % dimensions] as number) + (table[i] as number) ** 2;
  for (let d = 0; d < dimensions; d++)
    spreads[d] = Math.sqrt((spreads[d] as number) / Math.max(terms, 1)) || 1;
  return spreads;
}

/**
 * Each value as a whole number from -127 to 127 times its row's scale and its column's. The column scale (the
 * column's root mean square) keeps a dimension of small values as precise as one of large values (a table
 * scaled by singular values has both).
 */
export class Int8TermTable implements TermTable {
  readonly format = 'int8';

  constructor(
    readonly dimensions: number,
    readonly rowScales: Float32Array,
    readonly columnScales: Float32Array,
    /** terms × dimensions, row-major. */
    readonly values: Int8Array,
  ) {}

  static quantize(table: Float32Array, dimensions: number): Int8TermTable {
    const terms = table.length / dimensions;
    const columnScales = columnSpreads(table, dimensions);
    const rowScales = new Float32Array(terms);
    const values = new Int8Array(table.length);
    for (let term = 0; term < terms; term++) {
      const row = term * dimensions;
      let largest = 0;
      for (let d = 0; d < dimensions; d++)
        largest = Math.max(largest, Math.abs((table[row + d] as number) / (columnScales[d] as number)));
      const scale = largest / 127;
      rowScales[term] = scale;
      if (scale === 0) continue;
      for (let d = 0; d < dimensions; d++)
        values[row + d] = Math.round((table[row + d] as number) / (columnScales[d] as number) / scale);
    }
    return new Int8TermTable(dimensions, rowScales, columnScales, values);
  }

  addRow(term: number, weight: number, vector: Float32Array): void {
    const row = term * this.dimensions;
    const scaled = weight * (this.rowScales[term] as number);
    for (let d = 0; d < this.dimensions; d++)
      vector[d] =
        (vector[d] as number) + scaled * (this.values[row + d] as number) * (this.columnScales[d] as number);
  }

  bytes(): Buffer[] {
    return [this.rowScales, this.columnScales, this.values].map((array) =>
      Buffer.from(array.buffer, array.byteOffset, array.byteLength),
    );
  }
}

/**
 * From this many dimensions on a table is held in 4 bits (stored int8 tables too, once read). A query of one word
 * is that word's row: in a handful of dimensions 4 bits bend its direction enough to lose papers it should find
 * (test/semantic.test.ts, 6 dimensions), while over hundreds the rounding evens out (docs/benchmarks.md, "Memory").
 */
const INT4_FROM_DIMENSIONS = 64;

/** A trained table as it is held and stored: 4 bits a value, or 8 under INT4_FROM_DIMENSIONS. */
export function quantizeTable(table: Float32Array, dimensions: number): TermTable {
  return dimensions >= INT4_FROM_DIMENSIONS
    ? Int4TermTable.quantize(table, dimensions)
    : Int8TermTable.quantize(table, dimensions);
}

/**
 * Each value as a whole number from -7 to 7 (4 bits, two a byte) times its row's scale and its column's. The column
 * scale (the column's root mean square) keeps a dimension of small values as precise as one of large values (a
 * table scaled by singular values has both). The row scale follows the row's spread rather than its largest value,
 * clipping the few values beyond 7 steps: finer steps for the many values near zero. At 80k papers, half the
 * memory of int8 tables (70 MB less) with the same known-item search quality (docs/benchmarks.md, "Memory").
 */
export class Int4TermTable implements TermTable {
  readonly format = 'int4';
  private readonly rowBytes: number;

  constructor(
    readonly dimensions: number,
    readonly rowScales: Float32Array,
    readonly columnScales: Float32Array,
    /** terms × ceil(dimensions / 2) bytes, row-major: dimension 2i in the low half of byte i, 2i + 1 in the high. */
    readonly values: Uint8Array,
  ) {
    this.rowBytes = Math.ceil(dimensions / 2);
  }

  static quantize(table: Float32Array, dimensions: number): Int4TermTable {
    const terms = table.length / dimensions;
    const columnScales = columnSpreads(table, dimensions);
    return Int4TermTable.fromRows(terms, dimensions, columnScales, (term, into) =>
      into.set(table.subarray(term * dimensions, (term + 1) * dimensions)),
    );
  }

  /** The table of `terms` rows that `row(term, into)` writes, each divided by `columnScales` before rounding. */
  static fromRows(
    terms: number,
    dimensions: number,
    columnScales: Float32Array,
    row: (term: number, into: Float32Array) => void,
  ): Int4TermTable {
    const rowBytes = Math.ceil(dimensions / 2);
    const rowScales = new Float32Array(terms);
    const values = new Uint8Array(terms * rowBytes).fill(0x88);
    const scaled = new Float32Array(dimensions);
    for (let term = 0; term < terms; term++) {
      row(term, scaled);
      let largest = 0;
      let squares = 0;
      for (let d = 0; d < dimensions; d++) {
        const value = (scaled[d] as number) / (columnScales[d] as number);
        scaled[d] = value;
        largest = Math.max(largest, Math.abs(value));
        squares += value * value;
      }
      // 0.35 standard deviations a step: about the least squared error for normally spread values in 15 steps.
      const scale = Math.min(largest / 7, 0.35 * Math.sqrt(squares / dimensions));
      rowScales[term] = scale;
      if (scale === 0) continue;
      for (let d = 0; d < dimensions; d++) {
        const level = Math.max(-7, Math.min(7, Math.round((scaled[d] as number) / scale))) + 8;
        const at = term * rowBytes + (d >> 1);
        values[at] =
          d & 1 ? ((values[at] as number) & 0x0f) | (level << 4) : ((values[at] as number) & 0xf0) | level;
      }
    }
    return new Int4TermTable(dimensions, rowScales, columnScales, values);
  }

  addRow(term: number, weight: number, vector: Float32Array): void {
    addInt4Row(
      this.values,
      term * this.rowBytes,
      weight * (this.rowScales[term] as number),
      this.columnScales,
      vector,
    );
  }

  bytes(): Buffer[] {
    return [this.rowScales, this.columnScales, this.values].map((array) =>
      Buffer.from(array.buffer, array.byteOffset, array.byteLength),
    );
  }
}

/**
 * Adds the 4-bit row at `start` of `values`, times `scale` and each column's scale, into `vector` (whose length is
 * the table's dimensions).
 */
export function addInt4Row(
  values: Uint8Array,
  start: number,
  scale: number,
  columns: Float32Array,
  vector: Float32Array,
): void {
  const dimensions = vector.length;
  for (let d = 0; d < dimensions; d += 2) {
    const byte = values[start + (d >> 1)] as number;
    vector[d] = (vector[d] as number) + scale * ((byte & 0x0f) - 8) * (columns[d] as number);
    if (d + 1 < dimensions)
      vector[d + 1] = (vector[d + 1] as number) + scale * ((byte >> 4) - 8) * (columns[d + 1] as number);
  }
}

/** A table stored by `bytes()`, copied out of `data` (which may not be aligned for typed arrays). */
export function readTermTable(
  format: TermTable['format'],
  data: Buffer,
  terms: number,
  dimensions: number,
): TermTable {
  let offset = 0;
  const fill = <T extends Float32Array | Int8Array | Uint8Array>(array: T): T => {
    Buffer.from(array.buffer).set(data.subarray(offset, (offset += array.byteLength)));
    return array;
  };
  if (format === 'float32') return new FloatTermTable(dimensions, fill(new Float32Array(terms * dimensions)));
  const rowScales = fill(new Float32Array(terms));
  const columnScales = fill(new Float32Array(dimensions));
  if (format === 'int4')
    return new Int4TermTable(
      dimensions,
      rowScales,
      columnScales,
      fill(new Uint8Array(terms * Math.ceil(dimensions / 2))),
    );
  if (dimensions < INT4_FROM_DIMENSIONS)
    return new Int8TermTable(dimensions, rowScales, columnScales, fill(new Int8Array(terms * dimensions)));
  // int8 held in 4 bits: each value times its row's scale and its column's, rounded again.
  const values = new Int8Array(data.buffer, data.byteOffset + offset, terms * dimensions);
  return Int4TermTable.fromRows(terms, dimensions, columnScales, (term, into) => {
    const scale = rowScales[term] as number;
    for (let d = 0; d < dimensions; d++)
      into[d] = scale * (values[term * dimensions + d] as number) * (columnScales[d] as number);
  });
}
