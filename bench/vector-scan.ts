// node --import tsx bench/vector-scan.ts [vectors] — time of one exact scan of n random vectors of 256 dimensions:
// a plain JavaScript loop over a Float32Array against the SIMD kernel (src/search-index/vector-arena.ts) on float32
// and on bfloat16 and int8 vectors. Median of 10 scans after 3 warm-up scans.
import { VectorArena } from '../src/search-index/vector-arena.ts';

const dims = 256;
const n = Number(process.argv[2] ?? 80_000);
let seed = 1;
const random = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647 - 0.5;
};
const flat = Float32Array.from({ length: n * dims }, random);
const query = Float32Array.from({ length: dims }, random);

function median(run: () => void): number {
  const times: number[] = [];
  for (let round = 0; round < 13; round++) {
    const started = performance.now();
    run();
    if (round >= 3) times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[5] ?? 0;
}

let sink = 0;
const javascript = median(() => {
  for (let v = 0; v < n; v++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0, o = v * dims; d < dims; d += 4, o += 4) {
      s0 += (query[d] as number) * (flat[o] as number);
      s1 += (query[d + 1] as number) * (flat[o + 1] as number);
      s2 += (query[d + 2] as number) * (flat[o + 2] as number);
      s3 += (query[d + 3] as number) * (flat[o + 3] as number);
    }
    sink = Math.max(sink, s0 + s1 + s2 + s3);
  }
});
console.log(
  `exact scan of ${n.toLocaleString('en-US')} × ${dims}: JavaScript float32 ${javascript.toFixed(1)} ms`,
);
for (const precision of ['float32', 'bfloat16', 'int8'] as const) {
  const arena = new VectorArena(dims, precision);
  for (let v = 0; v < n; v++) arena.push(flat.subarray(v * dims, (v + 1) * dims));
  const time = median(() =>
    arena.scan(query, 0, n, (_position, score) => {
      sink = Math.max(sink, score);
    }),
  );
  console.log(`  SIMD kernel ${precision}: ${time.toFixed(1)} ms (${Math.round(arena.bytes / 2 ** 20)} MB)`);
}
