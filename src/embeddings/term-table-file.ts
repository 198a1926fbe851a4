import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { addInt4Row, Int4TermTable, type TermTable } from './term-table.ts';

/** Closes a file once nothing holds a table of it (a model replaced by a newer one). */
const closeWhenUnused = new FinalizationRegistry<number>((fd) => closeSync(fd));

/**
 * A file of term tables' values, deleted as soon as it is open (it lives as long as this process holds it). The
 * operating system's file cache keeps the rows in use and, unlike a process's own memory, can let the others go
 * when memory runs short.
 */
export class TermTableFile {
  private size = 0;

  private constructor(readonly fd: number) {}

  static create(dir: string): TermTableFile {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `.term-tables-${process.pid}-${randomUUID()}`);
    const fd = openSync(path, 'w+', 0o600);
    unlinkSync(path);
    const file = new TermTableFile(fd);
    closeWhenUnused.register(file, fd);
    return file;
  }

  /** Writes `bytes` at the end of the file; returns where they start. */
  append(bytes: Uint8Array): number {
    const start = this.size;
    for (let written = 0; written < bytes.length; )
      written += writeSync(this.fd, bytes, written, bytes.length - written, start + written);
    this.size += bytes.length;
    return start;
  }

  read(into: Uint8Array, position: number): void {
    for (let read = 0; read < into.length; ) {
      const count = readSync(this.fd, into, read, into.length - read, position + read);
      if (count === 0) throw new Error('a term table file ended early');
      read += count;
    }
  }
}

/**
 * A 4-bit term table whose values stay in a file, read a row at a time. A web process embeds queries and a few new
 * papers, some hundreds of rows a second at most, while the values are most of a model's memory (75 MB at 80k
 * papers, docs/benchmarks.md "Memory"). Its scales stay in memory (8 bytes a term).
 */
export class FileInt4TermTable implements TermTable {
  readonly format = 'int4';
  private readonly rowBytes: number;
  private readonly row: Uint8Array;

  constructor(
    readonly dimensions: number,
    readonly rowScales: Float32Array,
    readonly columnScales: Float32Array,
    private readonly file: TermTableFile,
    private readonly start: number,
  ) {
    this.rowBytes = Math.ceil(dimensions / 2);
    this.row = new Uint8Array(this.rowBytes);
  }

  /** The same table, its values moved to `file`. */
  static from(table: Int4TermTable, file: TermTableFile): FileInt4TermTable {
    const start = file.append(table.values);
    return new FileInt4TermTable(table.dimensions, table.rowScales, table.columnScales, file, start);
  }

  addRow(term: number, weight: number, vector: Float32Array): void {
    this.file.read(this.row, this.start + term * this.rowBytes);
    addInt4Row(this.row, 0, weight * (this.rowScales[term] as number), this.columnScales, vector);
  }

  /** The stored form of the same table in memory (its values read back). */
  bytes(): Buffer[] {
    const values = new Uint8Array(this.rowScales.length * this.rowBytes);
    this.file.read(values, this.start);
    return new Int4TermTable(this.dimensions, this.rowScales, this.columnScales, values).bytes();
  }
}
