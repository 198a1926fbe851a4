// Vectors in WebAssembly memory, scored against a query by a small SIMD kernel: an exact scan of 1M × 256 takes
// 22 ms as int8, 38 ms as bfloat16, 69 ms as float32, 385 ms in a JavaScript loop (bench/vector-scan.ts, load
// average 5). Paper vectors are kept as int8 with a scale per vector (a quarter of float32's bytes; 0.99 of the
// float32 exact top 10 on the 80k shared papers, bfloat16 0.999), scored in integers against an int16 query;
// centroids and benchmark references stay float32.

// The kernel, written out below as bytes (Node has no WebAssembly assembler; the module is under 300 bytes):
//   (func (export "scores") (param $q i32) (param $v i32) (param $count i32) (param $bytes i32) (param $out i32)
//     for each of $count vectors of $bytes bytes from $v: f32 at $out = dot(float32 query at $q, vector)
//     four f32x4 accumulators over 16 dimensions per step, so vectors are padded to a multiple of 16
const I32 = 0x7f;
const V128 = 0x7b;
const uleb = (value: number): number[] => {
  const bytes: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    bytes.push(value ? low | 0x80 : low);
  } while (value);
  return bytes;
};
const list = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (text: string) => [...uleb(text.length), ...Buffer.from(text)];
const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
/** i32.const takes a signed LEB128: 0 … 63 fit in one byte, 64 … 8191 in two. */
const i32 = (value: number) => [0x41, ...(value < 64 ? [value] : [(value & 0x7f) | 0x80, value >> 7])];
const I32_ADD = 0x6a;
const simd = (op: number, ...immediates: number[]) => [0xfd, ...uleb(op), ...immediates];
const load = (offset: number) => simd(0x00, 4, ...uleb(offset)); // v128.load
const F32X4_ADD = simd(0xe4);
const F32X4_MUL = simd(0xe6);
const F32X4_CONVERT_I32X4 = simd(0xfa);
const I32X4_ADD = simd(0xae);
/** Pairs of i16 lanes multiplied and added into i32 lanes. */
const I32X4_DOT_I16X8 = simd(0xba);
/** Sign-extending the low or high half of an i8x16 to i16x8. */
const [I16X8_LOW, I16X8_HIGH] = [simd(0x87), simd(0x88)];

const [Q, V, COUNT, BYTES, OUT, END, QP, VP, VEND, A, B, C, D, HALVES, HIGH] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
];
const ACCUMULATORS = [A, B, C, D] as const;

/**
 * One turn over 16 dimensions of an int8 vector against an int16 query (32 bytes a turn): integer products,
 * summed in i32 lanes (no overflow below 4,096 dimensions: 127 × 16,383 × 4 a lane a turn).
 */
const INT8_TURN = [
  ...[...get(A), ...get(VP), ...load(0), 0x22, HALVES, ...I16X8_LOW, ...get(QP), ...load(0)],
  ...[...I32X4_DOT_I16X8, ...I32X4_ADD, ...set(A)],
  ...[...get(B), ...get(HALVES), ...I16X8_HIGH, ...get(QP), ...load(16), ...I32X4_DOT_I16X8, ...I32X4_ADD],
  ...set(B),
];

/**
 * Pushes the four f32x4 of the 16 dimensions of the vector at $vp. A bfloat16 is the upper half of a float32, so
 * a 32-bit lane holding two of them gives the first shifted up and the second masked: dimensions come out in the
 * order 0 2 4 6, 1 3 5 7, 8 10 12 14, 9 11 13 15, and the query is stored in that order too (`prepare`).
 */
function vectorParts(precision: 'float32' | 'bfloat16'): number[][] {
  if (precision === 'float32') return [0, 1, 2, 3].map((i) => [...get(VP), ...load(16 * i)]);
  const low = (offset: number) => [...get(VP), ...load(offset), 0x22, HALVES, ...i32(16), ...simd(0xab)];
  const high = [...get(HALVES), ...get(HIGH), ...simd(0x4e)]; // v128.and with 0xffff0000 in each lane
  return [low(0), high, low(16), high];
}

function kernel(precision: Precision): WebAssembly.Module {
  const int8 = precision === 'int8';
  const step = { float32: 64, bfloat16: 32, int8: 16 }[precision];
  const queryStep = int8 ? 32 : 64;
  const turn = int8
    ? INT8_TURN
    : vectorParts(precision).flatMap((part, i) => [
        ...get(ACCUMULATORS[i] as number),
        ...get(QP),
        ...load(16 * i),
        ...part,
        ...F32X4_MUL,
        ...F32X4_ADD,
        ...set(ACCUMULATORS[i] as number),
      ]);
  const total = int8
    ? [...get(A), ...get(B), ...I32X4_ADD, ...F32X4_CONVERT_I32X4]
    : [...get(A), ...get(B), ...F32X4_ADD, ...get(C), ...get(D), ...F32X4_ADD, ...F32X4_ADD];
  // An int8 vector is followed by its scale (a float32, then padding to 16 bytes): the sum is multiplied by it.
  const scaled = int8 ? [...get(VEND), 0x2a, 2, 0, 0x94] : [];
  const next = int8 ? [...get(VEND), ...i32(16), I32_ADD] : get(VEND);
  const body = [
    ...list([
      [4, I32],
      [6, V128],
    ]),
    ...simd(0x0c, ...[0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff]),
    ...set(HIGH),
    ...[...get(OUT), ...get(COUNT), ...i32(2), 0x74, I32_ADD, ...set(END)], // end = out + count·4
    ...[0x02, 0x40, 0x03, 0x40], // block, loop: one vector per turn
    ...[...get(OUT), ...get(END), 0x4f, 0x0d, 1], // out ≥ end: done
    ...ACCUMULATORS.flatMap((acc) => [...simd(0x0c, ...new Array(16).fill(0)), ...set(acc)]),
    ...[...get(Q), ...set(QP), ...get(V), ...set(VP), ...get(V), ...get(BYTES), I32_ADD, ...set(VEND)],
    ...[0x03, 0x40], // loop: 16 dimensions per turn
    ...turn,
    ...[...get(QP), ...i32(queryStep), I32_ADD, ...set(QP), ...get(VP), ...i32(step), I32_ADD, ...set(VP)],
    ...[...get(VP), ...get(VEND), 0x49, 0x0d, 0, 0x0b], // vp < vend: again
    ...[...get(OUT), ...total],
    ...[0x22, A, ...simd(0x1f, 0), ...get(A), ...simd(0x1f, 1), 0x92, ...get(A), ...simd(0x1f, 2), 0x92],
    ...[...get(A), ...simd(0x1f, 3), 0x92, ...scaled, 0x38, 2, 0], // sum the lanes, f32.store
    ...[...get(OUT), ...i32(4), I32_ADD, ...set(OUT), ...next, ...set(V), 0x0c, 0, 0x0b, 0x0b, 0x0b],
  ];
  return new WebAssembly.Module(
    new Uint8Array([
      ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
      ...section(1, list([[0x60, ...list([[I32], [I32], [I32], [I32], [I32]]), 0]])),
      ...section(2, list([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
      ...section(3, list([[0]])),
      ...section(7, list([[...name('scores'), 0x00, 0]])),
      ...section(10, list([[...uleb(body.length), ...body]])),
    ]),
  );
}

/**
 * Writes the first `into.length` values of `vector` as integers whose largest magnitude is `top`; returns the scale
 * that turns them back (1 for a vector of zeros).
 */
function quantize(vector: Float32Array, into: Int8Array | Int16Array, top: number): number {
  let largest = 0;
  for (let d = 0; d < into.length; d++) largest = Math.max(largest, Math.abs(vector[d] as number));
  const scale = largest / top || 1;
  for (let d = 0; d < into.length; d++) into[d] = Math.round((vector[d] as number) / scale);
  return scale;
}

export type Precision = 'float32' | 'bfloat16' | 'int8';

/** A query laid out for one arena's kernel (`VectorArena.prepare`). */
export interface PreparedQuery {
  readonly arena: VectorArena;
  readonly values: Float32Array;
  readonly factor: number;
}
const KERNELS = { float32: kernel('float32'), bfloat16: kernel('bfloat16'), int8: kernel('int8') };

/** Scores computed per kernel call; a longer range is scored in turns. */
const SCORES_PER_CALL = 4096;
const PAGE = 65_536;
/** Vector bytes per WebAssembly memory: each grows on its own, and there are as many as it takes. */
const SEGMENT_BYTES = 256 * 2 ** 20;

interface Segment {
  memory: WebAssembly.Memory;
  bytes: Uint8Array;
  floats: Float32Array;
  scores: (query: number, first: number, count: number, bytes: number, out: number) => void;
}

/**
 * A growable array of vectors ("positions") that scores them against a query with SIMD. Vectors are padded with
 * zeros to a multiple of 16 dimensions. Each segment is its own WebAssembly memory: [query][scores][vectors…].
 */
export class VectorArena {
  /** Dimensions stored per vector (padded). */
  readonly stride: number;
  /** Bytes per stored vector (an int8 one with its scale). */
  readonly recordBytes: number;
  /** Bytes of the values alone, which the kernel reads. */
  private readonly valueBytes: number;
  /** Positions in use: 0 … length - 1. */
  length = 0;
  private readonly perSegment: number;
  /** Bytes before the first vector of a segment. */
  private readonly header: number;
  private readonly segments: Segment[] = [];
  private capacity = 0;
  private readonly encoded: Uint16Array;

  constructor(
    readonly dimensions: number,
    readonly precision: Precision = 'bfloat16',
    segmentBytes = SEGMENT_BYTES,
  ) {
    this.stride = Math.ceil(dimensions / 16) * 16;
    this.valueBytes = this.stride * { float32: 4, bfloat16: 2, int8: 1 }[precision];
    this.recordBytes = this.valueBytes + (precision === 'int8' ? 16 : 0);
    this.perSegment = Math.max(1, Math.floor(segmentBytes / this.recordBytes));
    this.header = (this.stride + SCORES_PER_CALL) * 4;
    this.encoded = new Uint16Array(this.stride);
  }

  /** Bytes of memory held. */
  get bytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.memory.buffer.byteLength, 0);
  }

  /** Makes room for `count` positions (positions past `length` read as zeros). */
  reserve(count: number): void {
    while (this.capacity < count) {
      const index = Math.floor(this.capacity / this.perSegment);
      if (index === this.segments.length) {
        const memory = new WebAssembly.Memory({
          initial: Math.ceil(this.header / PAGE),
          maximum: Math.ceil((this.header + this.perSegment * this.recordBytes) / PAGE),
        });
        const { exports } = new WebAssembly.Instance(KERNELS[this.precision], { env: { memory } });
        const scores = exports.scores as Segment['scores'];
        this.segments.push({ memory, bytes: new Uint8Array(0), floats: new Float32Array(0), scores });
      }
      const segment = this.segments[index] as Segment;
      const held = this.capacity - index * this.perSegment;
      // Grow by half again at least, so that appending one vector at a time stays linear.
      const target = Math.floor(
        Math.min(this.perSegment, Math.max(count - index * this.perSegment, held * 1.5, 1024)),
      );
      const pages = Math.ceil((this.header + target * this.recordBytes) / PAGE);
      segment.memory.grow(pages - segment.memory.buffer.byteLength / PAGE);
      segment.bytes = new Uint8Array(segment.memory.buffer);
      segment.floats = new Float32Array(segment.memory.buffer);
      this.capacity = index * this.perSegment + target;
    }
  }

  /** The stored bytes of the vector at `position` (a view, valid until the arena grows). */
  record(position: number): Uint8Array {
    const segment = this.segments[Math.floor(position / this.perSegment)] as Segment;
    const offset = this.header + (position % this.perSegment) * this.recordBytes;
    return segment.bytes.subarray(offset, offset + this.recordBytes);
  }

  /** Appends a vector; returns its position. */
  push(vector: Float32Array): number {
    const position = this.length;
    this.write(position, vector);
    return position;
  }

  /** Writes the vector at `position`, growing `length` to include it. */
  write(position: number, vector: Float32Array): void {
    if (position >= this.capacity) this.reserve(position + 1);
    if (this.length <= position) this.length = position + 1;
    const record = this.record(position);
    const dimensions = Math.min(vector.length, this.dimensions);
    if (this.precision === 'float32') {
      const floats = new Float32Array(record.buffer, record.byteOffset, this.stride);
      floats.set(vector.subarray(0, dimensions));
      return;
    }
    if (this.precision === 'int8') {
      const values = new Int8Array(record.buffer, record.byteOffset, dimensions);
      const scale = quantize(vector, values, 127);
      new Float32Array(record.buffer, record.byteOffset + this.valueBytes, 1)[0] = scale;
      return;
    }
    const bits = new Uint32Array(vector.buffer, vector.byteOffset, dimensions);
    const encoded = this.encoded;
    for (let d = 0; d < dimensions; d++) {
      const value = bits[d] as number;
      encoded[d] = (value + 0x7fff + ((value >>> 16) & 1)) >>> 16; // round to nearest, ties to even
    }
    record.set(new Uint8Array(encoded.buffer, 0, this.recordBytes));
  }

  /** The vector at `position` as float32, into `into` when given. */
  read(position: number, into = new Float32Array(this.dimensions)): Float32Array {
    const record = this.record(position);
    if (this.precision === 'float32') {
      into.set(new Float32Array(record.buffer, record.byteOffset, this.dimensions));
      return into;
    }
    if (this.precision === 'int8') {
      const values = new Int8Array(record.buffer, record.byteOffset, this.dimensions);
      const scale = new Float32Array(record.buffer, record.byteOffset + this.valueBytes, 1)[0] as number;
      for (let d = 0; d < this.dimensions; d++) into[d] = (values[d] as number) * scale;
      return into;
    }
    const halves = new Uint16Array(record.buffer, record.byteOffset, this.dimensions);
    const bits = new Uint32Array(into.buffer, into.byteOffset, this.dimensions);
    for (let d = 0; d < this.dimensions; d++) bits[d] = (halves[d] as number) << 16;
    return into;
  }

  /**
   * Lays the query out as the kernel reads it, padded: float32, in the kernel's order of dimensions for bfloat16,
   * int16 for int8 (its largest value at 16,383), with the factor that turns the kernel's sums into dot products.
   * A search that scans many ranges (partitions) prepares its query once.
   */
  prepare(query: Float32Array): PreparedQuery {
    const values = new Float32Array(this.stride);
    const dimensions = Math.min(query.length, this.dimensions);
    let factor = 1;
    if (this.precision === 'float32') values.set(query.subarray(0, dimensions));
    else if (this.precision === 'bfloat16') {
      for (let d = 0; d < dimensions; d++) {
        const block = d & ~7;
        values[block + ((d & 1) << 2) + ((d & 7) >> 1)] = query[d] as number;
      }
    } else factor = quantize(query, new Int16Array(values.buffer, 0, dimensions), 16_383);
    return { arena: this, values, factor };
  }

  private prepared(query: Float32Array | PreparedQuery): PreparedQuery {
    if (query instanceof Float32Array) return this.prepare(query);
    if (query.arena !== this) throw new Error('the query was prepared for another arena');
    return query;
  }

  /** Calls `visit` with each position of `first … first + count - 1` and its dot product with the query. */
  scan(
    query: Float32Array | PreparedQuery,
    first: number,
    count: number,
    visit: (position: number, score: number) => void,
  ): void {
    const end = Math.min(first + count, this.length);
    if (first >= end) return;
    const { values, factor } = this.prepared(query);
    for (let position = first; position < end; ) {
      const index = Math.floor(position / this.perSegment);
      const segment = this.segments[index] as Segment;
      const local = position - index * this.perSegment;
      const n = Math.min(end - position, this.perSegment - local, SCORES_PER_CALL);
      const floats = segment.floats;
      floats.set(values, 0);
      segment.scores(0, this.header + local * this.recordBytes, n, this.valueBytes, this.stride * 4);
      for (let i = 0; i < n; i++) visit(position + i, (floats[this.stride + i] as number) * factor);
      position += n;
    }
  }

  /** Like `scan`, for scattered positions. */
  scanPositions(
    query: Float32Array | PreparedQuery,
    positions: number[],
    visit: (position: number, score: number) => void,
  ): void {
    if (positions.length === 0) return;
    const { values, factor } = this.prepared(query);
    let loaded = -1;
    for (const position of positions) {
      if (position >= this.length) continue;
      const index = Math.floor(position / this.perSegment);
      const segment = this.segments[index] as Segment;
      if (index !== loaded) {
        segment.floats.set(values, 0);
        loaded = index;
      }
      const local = position - index * this.perSegment;
      segment.scores(0, this.header + local * this.recordBytes, 1, this.valueBytes, this.stride * 4);
      visit(position, (segment.floats[this.stride] as number) * factor);
    }
  }
}
