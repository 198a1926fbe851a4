/** An LSA model's term table: a row of `dimensions` values for each term of its vocabulary. */
export interface TermTable {
  /** 'float32' (the first models) or 'int8' (a quarter of the memory). */
  readonly format: 'float32' | 'int8';
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
    const columnScales = new Float32Array(dimensions);
    for (let i = 0; i < table.length; i++)
      columnScales[i % dimensions] = (columnScales[i % dimensions] as number) + (table[i] as number) ** 2;
    for (let d = 0; d < dimensions; d++)
      columnScales[d] = Math.sqrt((columnScales[d] as number) / Math.max(terms, 1)) || 1;
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

/** A table stored by `bytes()`, copied out of `data` (which may not be aligned for typed arrays). */
export function readTermTable(
  format: TermTable['format'],
  data: Buffer,
  terms: number,
  dimensions: number,
): TermTable {
  if (format === 'float32') {
    const values = new Float32Array(terms * dimensions);
    Buffer.from(values.buffer).set(data.subarray(0, values.byteLength));
    return new FloatTermTable(dimensions, values);
  }
  let offset = 0;
  const fill = <T extends Float32Array | Int8Array>(array: T): T => {
    Buffer.from(array.buffer).set(data.subarray(offset, (offset += array.byteLength)));
    return array;
  };
  const rowScales = fill(new Float32Array(terms));
  const columnScales = fill(new Float32Array(dimensions));
  const values = fill(new Int8Array(terms * dimensions));
  return new Int8TermTable(dimensions, rowScales, columnScales, values);
}
