// node --import tsx bench/vector-scan.ts — time of one exact scan of the vector index (80k random unit-ish vectors).
import { VectorIndex } from '../src/search-index/vector-index.ts';

const dims = 256,
  n = 80_000;
const index = new VectorIndex(dims, n);
let seed = 1;
const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
for (let i = 0; i < n; i++) index.add(`p${i}`, Float32Array.from({ length: dims }, rnd));
const q = Float32Array.from({ length: dims }, rnd);
for (let r = 0; r < 3; r++) index.search(q, 200);
const t = performance.now();
for (let r = 0; r < 10; r++) index.search(q, 200);
console.log('search 80k x 256, k=200:', ((performance.now() - t) / 10).toFixed(1), 'ms');
